package watchtower.ctl;

import picocli.CommandLine.TypeConversionException;

/** An approval's number as shown by `wtctl approvals`: a whole number from 1, checked while parsing. */
public record ApprovalId(long value) {
    public ApprovalId {
        if (value < 1) throw new TypeConversionException("approval ids start at 1");
    }

    public static ApprovalId parse(String raw) {
        var s = raw.startsWith("#") ? raw.substring(1) : raw; // "#12" as the dashboard shows it
        try {
            return new ApprovalId(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + Format.clip(raw, 40) + "' is not an approval id (a number such as 12)");
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
