package watchtower.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.OptionalInt;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Close status codes (RFC 6455 §7.4 and the IANA registry) and the check of a received close
 * payload. 1005, 1006 and 1015 only ever describe a close locally; a peer that sends one on the
 * wire, or any code outside the registered and private ranges, broke the protocol.
 */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    public static final int NO_STATUS = 1005;
    public static final int ABNORMAL = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int INTERNAL_ERROR = 1011;

    private CloseCodes() {}

    /** 1000-1003 and 1007-1014 are registered for the wire; 3000-4999 belong to libraries and apps. */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /**
     * The code of a received close frame: empty for an empty payload (a close without a status),
     * otherwise a valid code followed by a UTF-8 reason, or a ProtocolViolation.
     */
    public static OptionalInt parse(byte[] payload) throws ProtocolViolation {
        if (payload.length == 0) return OptionalInt.empty();
        if (payload.length == 1) throw new ProtocolViolation(PROTOCOL_ERROR, "close payload of 1 byte (a code needs 2)");
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        if (!isValidOnWire(code)) throw new ProtocolViolation(PROTOCOL_ERROR, "invalid close code " + code);
        try {
            UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload, 2, payload.length - 2));
        } catch (CharacterCodingException e) {
            throw new ProtocolViolation(INVALID_PAYLOAD, "close reason is not valid UTF-8");
        }
        return OptionalInt.of(code);
    }
}
