package org.reaper.study;

import java.util.ArrayList;
import java.util.List;
import org.reaper.ReaperException;

/**
 * One study variant: {@code standard}, {@code repr}, or {@code repr:key=value:flag...} where each part becomes a
 * {@code train} option ({@code scope=layer} -> {@code --scope layer}, {@code exclude-first} -> {@code --exclude-first}).
 * The folder name is the spec with ':' and '=' replaced ("repr-scope-layer").
 */
public record Variant(String spec, List<String> trainArgs) {

    public static Variant parse(String spec) {
        String s = spec.trim();
        String[] parts = s.split(":");
        List<String> args = new ArrayList<>();
        switch (parts[0]) {
            case "standard" -> args.addAll(List.of("--schedule", "standard"));
            case "repr" -> args.addAll(List.of("--schedule", "repr"));
            default -> throw new ReaperException("unknown study variant '" + spec + "': start it with standard or repr (e.g. repr:scope=layer:exclude-first)");
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq < 0) args.add("--" + p);
            else { args.add("--" + p.substring(0, eq)); args.add(p.substring(eq + 1)); }
        }
        return new Variant(s, List.copyOf(args));
    }

    public String folder() { return spec.replace(':', '-').replace('=', '-').replace(',', '_'); }
}
