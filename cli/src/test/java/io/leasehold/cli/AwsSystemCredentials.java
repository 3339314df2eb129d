package io.leasehold.cli;

/**
 * Hands credentials to the CLI the way a user would without environment variables: the AWS SDK's
 * default provider chain reads the Java system properties {@code aws.accessKeyId} and
 * {@code aws.secretAccessKey} first, so the store URI never carries a secret. Set for one test
 * class and restored afterwards (the test JVM runs classes one at a time).
 */
final class AwsSystemCredentials implements AutoCloseable {
    private static final String ACCESS_KEY = "aws.accessKeyId";
    private static final String SECRET_KEY = "aws.secretAccessKey";

    private final String previousAccessKey;
    private final String previousSecretKey;

    private AwsSystemCredentials(String accessKey, String secretKey) {
        previousAccessKey = System.getProperty(ACCESS_KEY);
        previousSecretKey = System.getProperty(SECRET_KEY);
        System.setProperty(ACCESS_KEY, accessKey);
        System.setProperty(SECRET_KEY, secretKey);
    }

    static AwsSystemCredentials set(String accessKey, String secretKey) {
        return new AwsSystemCredentials(accessKey, secretKey);
    }

    @Override
    public void close() {
        restore(ACCESS_KEY, previousAccessKey);
        restore(SECRET_KEY, previousSecretKey);
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
