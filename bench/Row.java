/**
 * One line of the results table. A measured number per side (null when not measured: the
 * reference has no search) or, for checks, a short text instead. {@code better} says which
 * way is good, which gives the ratio its direction: above 1 always means ours is better.
 */
record Row(String group, String scenario, String unit, Double ours, Double reference, Better better,
           String oursText, String referenceText) {

    enum Better { HIGHER, LOWER, NONE }

    static Row numbers(String group, String scenario, String unit, Double ours, Double reference, Better better) {
        return new Row(group, scenario, unit, clean(ours), clean(reference), better, null, null);
    }

    static Row texts(String group, String scenario, String ours, String reference) {
        return new Row(group, scenario, "", null, null, Better.NONE, ours, reference);
    }

    /** Ours relative to the reference, oriented so that above 1 means ours is better; null if not comparable. */
    Double ratio() {
        if (ours == null || reference == null || better == Better.NONE) return null;
        if (better == Better.HIGHER) return reference == 0 ? null : ours / reference;
        return ours == 0 ? null : reference / ours;
    }

    private static Double clean(Double d) {
        return d == null || d.isNaN() || d.isInfinite() ? null : d;
    }
}
