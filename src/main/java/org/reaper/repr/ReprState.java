package org.reaper.repr;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The RePr listener's resumable state, stored in {@code TrainContext.state()} under {@link #KEY} as plain JSON
 * values: how many drops happened, whether a pruned phase is on, and per layer the dropped indices with their
 * pre-drop values (float32 little-endian, base64), needed by the re-initialisation after a resume.
 */
public final class ReprState {
    public static final String KEY = "repr";
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public int drops;
    public boolean pruned;
    public Map<String, LayerState> layers = new LinkedHashMap<>();

    public static final class LayerState {
        public int[] dropped;
        public String weight;     // m * D floats
        public String bias, gamma, beta;
    }

    public static ReprState load(Map<String, Object> state) {
        Object v = state.get(KEY);
        return v == null ? new ReprState() : JSON.convertValue(v, ReprState.class);
    }

    @SuppressWarnings("unchecked")
    public void save(Map<String, Object> state) { state.put(KEY, JSON.convertValue(this, Map.class)); }

    /** The layer's dropped indices and pre-drop values (downloaded: called when the state is saved). */
    static LayerState of(org.reaper.backend.Backend b, FilterMask m) {
        LayerState s = new LayerState();
        FilterMask.PreDrop.Host p = m.preDrop().toHost(b);
        s.dropped = m.dropped();
        int d = p.weight().length == 0 ? 0 : p.weight()[0].length;
        float[] flat = new float[p.weight().length * d];
        for (int i = 0; i < p.weight().length; i++) System.arraycopy(p.weight()[i], 0, flat, i * d, d);
        s.weight = encode(flat);
        s.bias = encode(p.bias());
        s.gamma = encode(p.gamma());
        s.beta = encode(p.beta());
        return s;
    }

    static FilterMask.PreDrop preDrop(org.reaper.backend.Backend b, LayerState s, int d) {
        float[] flat = decode(s.weight);
        int m = s.dropped.length;
        float[][] rows = new float[m][];
        for (int i = 0; i < m; i++) rows[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        return FilterMask.PreDrop.upload(b, rows, d, decode(s.bias), decode(s.gamma), decode(s.beta));
    }

    static String encode(float[] v) {
        if (v == null) return null;
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) bb.putFloat(f);
        return Base64.getEncoder().encodeToString(bb.array());
    }

    static float[] decode(String s) {
        if (s == null) return null;
        ByteBuffer bb = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bb.remaining() / 4];
        for (int i = 0; i < v.length; i++) v[i] = bb.getFloat();
        return v;
    }
}
