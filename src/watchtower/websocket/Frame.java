package watchtower.websocket;

/**
 * One frame off the wire, already unmasked. {@link FrameReader#next()} also uses it for a whole
 * reassembled message (then {@code fin} is true and the opcode is TEXT or BINARY). The payload
 * array is never modified after construction; treat it as read-only.
 */
public record Frame(boolean fin, Opcode opcode, byte[] payload) {
    @Override
    public String toString() {
        return "Frame[" + opcode + (fin ? "" : ", more") + ", " + payload.length + " bytes]";
    }
}
