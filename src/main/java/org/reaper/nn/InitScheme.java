package org.reaper.nn;

import java.util.Arrays;
import java.util.Locale;
import org.reaper.ReaperException;

/** How conv and linear weights are initialised (batch norm: gamma 1, beta 0 in both). */
public enum InitScheme {
    /** PyTorch defaults: kaiming_uniform(a = sqrt 5), i.e. U(+-1/sqrt(fan_in)); bias U(+-1/sqrt(fan_in)). */
    PYTORCH_DEFAULT("pytorch-default"),
    /** kaiming_normal(mode = fan_out, relu): N(0, 2/fan_out); bias 0. */
    HE_NORMAL("he-normal");

    private final String cliName;

    InitScheme(String cliName) { this.cliName = cliName; }

    public String cliName() { return cliName; }

    /** Parses "pytorch-default" or "he-normal" (case-insensitive, '_' accepted for '-'). */
    public static InitScheme parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (InitScheme i : values()) if (i.cliName.equals(k)) return i;
        throw new ReaperException("unknown init scheme '" + s + "'; use one of " + Arrays.stream(values()).map(InitScheme::cliName).toList());
    }
}
