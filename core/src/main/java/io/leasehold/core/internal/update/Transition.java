package io.leasehold.core.internal.update;

import io.leasehold.spi.GetResponse;

/**
 * What a read-modify-write loop writes, decided from the object as read. Called once per attempt,
 * on the thread running the loop; it may run several times, so it only computes.
 *
 * @param <R> what the loop returns when the decision's write lands
 */
@FunctionalInterface
public interface Transition<R> {

    /**
     * Decides the next write.
     *
     * @param current the object as read, bookkeeping included, or null if absent
     * @return the write to make, or none
     * @throws Exception anything: it ends the loop with that failure (it is never retried)
     */
    Decision<R> decide(GetResponse current) throws Exception;

    /**
     * A transition's decision: write these bytes (conditioned on the version read), or write nothing.
     *
     * @param <R> the loop's result type
     */
    final class Decision<R> {
        private final byte[] content;
        private final R result;

        private Decision(byte[] content, R result) {
            this.content = content;
            this.result = result;
        }

        /**
         * Write {@code content}; when that write lands, the loop returns {@code result}.
         *
         * @param content the bytes to write (not copied; not modified afterwards)
         * @param result the result if it lands
         * @param <R> the result type
         * @return the decision
         */
        public static <R> Decision<R> write(byte[] content, R result) {
            if (content == null) {
                throw new NullPointerException("content");
            }
            return new Decision<>(content, result);
        }

        /**
         * Write nothing and return {@code result}.
         *
         * @param result the result
         * @param <R> the result type
         * @return the decision
         */
        public static <R> Decision<R> keep(R result) {
            return new Decision<>(null, result);
        }

        /**
         * Whether there is something to write.
         *
         * @return false for {@link #keep}
         */
        public boolean writes() {
            return content != null;
        }

        /**
         * The bytes to write.
         *
         * @return the content, or null for {@link #keep}
         */
        public byte[] content() {
            return content;
        }

        /**
         * The result.
         *
         * @return the result
         */
        public R result() {
            return result;
        }
    }
}
