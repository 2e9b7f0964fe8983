/** Which server a measurement is of. */
enum Side {
    OURS("ours"),
    REFERENCE("reference");

    final String label;

    Side(String label) {
        this.label = label;
    }
}
