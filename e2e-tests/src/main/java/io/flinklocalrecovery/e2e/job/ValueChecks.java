package io.flinklocalrecovery.e2e.job;

/**
 * Where a {@link ValueCheckingFunction} counts what it finds: the keys it creates while the first
 * attempt builds the state, and after each restore one check per key, of the value the restore
 * brought back against the value computed from the key ({@link KeyedValueJob#valueFor}).
 */
public interface ValueChecks {

    /** What the first record of a key after a restore found in the restored state. */
    enum Found {
        /** The value written before the failure. */
        CORRECT,
        /** A value other than the one written. */
        WRONG,
        /** No value: the key came back without it. */
        MISSING
    }

    /** Attempt 0 wrote the first value of a key. */
    void keyCreated();

    /** Attempt {@code attempt} (after a restore) checked the restored value of one key. */
    void keyChecked(int attempt, Found found);
}
