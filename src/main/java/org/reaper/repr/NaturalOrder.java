package org.reaper.repr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Orders names so that embedded numbers compare as numbers: "layer2.conv" before "layer10.conv". */
public final class NaturalOrder implements Comparator<String> {
    public static final NaturalOrder INSTANCE = new NaturalOrder();

    @Override public int compare(String a, String b) {
        List<String> x = chunks(a), y = chunks(b);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            String p = x.get(i), q = y.get(i);
            boolean pd = Character.isDigit(p.charAt(0)), qd = Character.isDigit(q.charAt(0));
            int c;
            if (pd && qd) {
                c = new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q));
                if (c == 0) c = Integer.compare(p.length(), q.length());
            } else {
                c = p.compareTo(q);
            }
            if (c != 0) return c;
        }
        return Integer.compare(x.size(), y.size());
    }

    private static List<String> chunks(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int j = i;
            boolean digit = Character.isDigit(s.charAt(i));
            while (j < s.length() && Character.isDigit(s.charAt(j)) == digit) j++;
            out.add(s.substring(i, j));
            i = j;
        }
        return out;
    }
}
