package watchtower.ctl;

/**
 * One line of `wtctl doctor`: how it went, what was checked (and found), and, unless all is
 * well, how to fix it.
 */
record Check(Level level, String what, String fix) {
    enum Level {
        OK("ok"), WARN("warn"), FAIL("fail");

        final String label;

        Level(String label) {
            this.label = label;
        }
    }

    static Check ok(String what) {
        return new Check(Level.OK, what, null);
    }

    static Check warn(String what, String fix) {
        return new Check(Level.WARN, what, fix);
    }

    static Check fail(String what, String fix) {
        return new Check(Level.FAIL, what, fix);
    }
}
