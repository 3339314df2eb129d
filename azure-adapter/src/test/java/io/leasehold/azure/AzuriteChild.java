package io.leasehold.azure;

/**
 * The child JVM of {@link AzuriteOutlivesNoJvmTest}: starts Azurite the way the tests do, prints
 * {@code AZURITE <port> <token>} and waits to be killed.
 */
public final class AzuriteChild {
    private AzuriteChild() {
    }

    public static void main(String[] args) throws Exception {
        AzuriteExtension.Server server = AzuriteExtension.start();
        System.out.println("AZURITE " + server.port + " " + server.process().token());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
