package dev.vmtrust.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Samples of one figure (milliseconds, MB, seconds...), summarised as median with min and max. */
final class Stats {
    private final List<Double> samples = new ArrayList<>();

    void add(double v) {
        samples.add(v);
    }

    int n() {
        return samples.size();
    }

    List<Double> samples() {
        return List.copyOf(samples);
    }

    double median() {
        if (samples.isEmpty()) return Double.NaN;
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }

    double min() {
        return samples.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** "1.23 s (1.10-1.40)" for milliseconds shown as seconds. */
    String seconds() {
        return String.format(Locale.ROOT, "%.2f s (%.2f–%.2f)", median() / 1000, min() / 1000, max() / 1000);
    }

    /** "123 ms (110-140)" */
    String millis() {
        return String.format(Locale.ROOT, "%.0f ms (%.0f–%.0f)", median(), min(), max());
    }

    Map<String, Object> json() {
        return dev.vmtrust.json.Json.obj(
                "median",
                round(median()),
                "min",
                round(min()),
                "max",
                round(max()),
                "n",
                n(),
                "samples",
                samples.stream().map(Stats::round).toList());
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
