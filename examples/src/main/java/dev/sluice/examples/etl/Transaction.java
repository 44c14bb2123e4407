package dev.sluice.examples.etl;

import dev.sluice.examples.support.Dice;

/**
 * One simulated bank transaction, as read from the core banking system's export.
 *
 * @param id          position in the export, 0-based; the record id in failure reports
 * @param account     the account it books on
 * @param kind        what it is
 * @param amountCents signed amount in the currency's minor unit (negative: money leaves the account)
 * @param currency    ISO 4217 code as exported, not checked yet
 * @param bookedAt    booking time, epoch seconds
 */
public record Transaction(long id, int account, Kind kind, long amountCents, String currency, long bookedAt) {

    /** Transaction kinds. */
    public enum Kind {
        DEPOSIT, WITHDRAWAL, CARD_PAYMENT, TRANSFER, FEE
    }

    private static final Kind[] KINDS = Kind.values();
    private static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "USD", "GBP", "CHF"};
    /** Accounts in the simulated bank. */
    static final int ACCOUNTS = 50_000;
    private static final long DAY_START = 1_767_225_600L; // 2026-01-01T00:00:00Z

    /**
     * The transaction at {@code index} of the export made from {@code seed}: the same on every call, so that a
     * resumed run reads the same records after its checkpoint. About {@code dirtyRate} of them carry a defect
     * that validation rejects (unknown currency, zero amount, account number out of range).
     */
    static Transaction generate(long seed, long index, double dirtyRate) {
        long a = Dice.mix(seed ^ (index * 0x9E3779B97F4A7C15L));
        long b = Dice.mix(a);
        int account = (int) Long.remainderUnsigned(a, ACCOUNTS);
        Kind kind = KINDS[(int) Long.remainderUnsigned(a >>> 20, KINDS.length)];
        long amount = 100 + Long.remainderUnsigned(b, 250_000);
        if (kind != Kind.DEPOSIT) {
            amount = -amount;
        }
        String currency = CURRENCIES[(int) Long.remainderUnsigned(b >>> 24, CURRENCIES.length)];
        long bookedAt = DAY_START + Long.remainderUnsigned(b >>> 8, 86_400);
        double u = (a >>> 11) * 0x1.0p-53;
        if (u < dirtyRate) {
            switch ((int) Long.remainderUnsigned(b >>> 40, 3)) {
                case 0: currency = "XXX"; break;
                case 1: amount = 0; break;
                default: account = ACCOUNTS + account; break;
            }
        }
        return new Transaction(index, account, kind, amount, currency, bookedAt);
    }
}
