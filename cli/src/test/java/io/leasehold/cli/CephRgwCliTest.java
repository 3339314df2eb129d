package io.leasehold.cli;

import static io.leasehold.cli.RealStoreScenarios.assertFails;

import io.leasehold.aws.CephRgw;
import io.leasehold.aws.ServerSettings;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The CLI on {@code s3://…?endpoint=…&profile=ceph-rgw} against a real Ceph RADOS Gateway
 * ({@link CephRgw} from aws-adapter's test-jar: skipped with a message when Ceph is not installed,
 * failing when {@code CI=true} or {@code LEASEHOLD_REQUIRE_RGW=1}). RGW evaluates conditional
 * writes atomically, so the demo's exact counter is a real race result.
 *
 * <p>Credentials reach the CLI as a user's would, through the AWS default chain (here the
 * {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties), never in the URI.
 */
@ExtendWith(CephRgw.class)
class CephRgwCliTest {
    private static AwsSystemCredentials credentials;
    private static String baseUri;

    private RealStoreScenarios store;

    @BeforeAll
    static void connect(CephRgw rgw) {
        AwsCredentials user = ServerSettings.credentials(rgw);
        credentials = AwsSystemCredentials.set(user.accessKeyId(), user.secretAccessKey());
        baseUri = "s3://" + ServerSettings.rgwBucket() + "/cli-%s?endpoint=" + ServerSettings.endpoint(rgw)
                + "&profile=ceph-rgw";
    }

    @AfterAll
    static void disconnect() {
        if (credentials != null) {
            credentials.close();
        }
    }

    @BeforeEach
    void freshPrefix() {
        store = new RealStoreScenarios(String.format(baseUri, UUID.randomUUID()));
    }

    @Test
    void objectCommandsAndTheirExitCodesConditionalDeleteRefused() {
        store.objectCommands("notes/a.txt", false);
    }

    @Test
    void demoLosesNoUpdateUnderContention() {
        RealStoreScenarios.DemoFigures figures = store.demo("demo/counter", 8, 25);
        System.out.println("[figures] ceph-rgw demo 8x25: final=" + figures.finalValue() + " conflicts="
                + figures.conflicts() + " lost=" + figures.lost());
    }

    @Test
    void leasesAreRefusedAsUnsupported() {
        assertFails(5, "NOT_FOUND: ", store.cli("head", "job"));
        assertFails(2, "NOT_SUPPORTED: ", store.cli("lease", "acquire", "job", "--duration", "15s", "--create"));
        assertFails(5, "NOT_FOUND: ", store.cli("head", "job"));
    }
}
