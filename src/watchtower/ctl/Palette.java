package watchtower.ctl;

/** ANSI colours for a person at a terminal, or none at all (pipes, files, NO_COLOR). */
public record Palette(boolean on) {
    public String red(String s) { return paint("31", s); }
    public String green(String s) { return paint("32", s); }
    public String yellow(String s) { return paint("33", s); }
    public String blue(String s) { return paint("34", s); }
    public String magenta(String s) { return paint("35", s); }
    public String cyan(String s) { return paint("36", s); }
    public String dim(String s) { return paint("2", s); }
    public String bold(String s) { return paint("1", s); }

    private String paint(String code, String s) {
        return on ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
