package watchtower.tokens;

import java.math.BigDecimal;

/** USD per million tokens of each kind for one model. */
public record ModelRate(BigDecimal input, BigDecimal output, BigDecimal cacheWrite, BigDecimal cacheRead) {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    public static ModelRate of(String input, String output, String cacheWrite, String cacheRead) {
        return new ModelRate(new BigDecimal(input), new BigDecimal(output), new BigDecimal(cacheWrite),
                new BigDecimal(cacheRead));
    }

    /** Exact: no rounding happens until a caller formats the result. */
    public BigDecimal cost(Usage u) {
        return input.multiply(BigDecimal.valueOf(u.input()))
                .add(output.multiply(BigDecimal.valueOf(u.output())))
                .add(cacheWrite.multiply(BigDecimal.valueOf(u.cacheCreation())))
                .add(cacheRead.multiply(BigDecimal.valueOf(u.cacheRead())))
                .divide(MILLION);
    }
}
