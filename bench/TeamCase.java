/** The three set-ups team mode is measured in, side by side in one run. */
enum TeamCase {
    SQLITE("sqlite", "SQLite, 1 instance", 1),
    POSTGRES("postgres", "PostgreSQL, 1 instance", 1),
    TEAM("team", "PostgreSQL, 2 instances", 2);

    final String key;
    final String label;
    final int instances;

    TeamCase(String key, String label, int instances) {
        this.key = key;
        this.label = label;
        this.instances = instances;
    }
}
