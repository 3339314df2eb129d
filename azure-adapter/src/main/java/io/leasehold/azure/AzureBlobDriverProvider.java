package io.leasehold.azure;

import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.StoreDriverProvider;
import java.net.URI;
import java.util.Set;

/**
 * Serves {@code azure://container[/prefix][?parameters]} for {@code ObjectStore.open(...)}.
 *
 * <h2>Parameters</h2>
 * <ul>
 *   <li>{@code connectionString} — an Azure Storage connection string (percent-encode {@code ;}
 *       and {@code =} if your tooling needs it; a literal {@code +} is kept).</li>
 *   <li>{@code endpoint} — the blob service URL, e.g. {@code https://acct.blob.core.windows.net} or
 *       Azurite's {@code http://127.0.0.1:10000/devstoreaccount1}.</li>
 *   <li>{@code account} — the account name (else taken from the endpoint or
 *       {@code AZURE_STORAGE_ACCOUNT}).</li>
 *   <li>{@code createContainer=true} — create the container if it does not exist (default: never).</li>
 *   <li>{@code timeout} — per-request response timeout, e.g. {@code 30s} (default), {@code 500ms},
 *       {@code PT1M}.</li>
 * </ul>
 * Keys and SAS tokens are not accepted as parameters (URIs end up in logs); use the environment.
 *
 * <h2>Credentials, in order</h2>
 * <ol>
 *   <li>the {@code connectionString} parameter;</li>
 *   <li>with {@code endpoint}: {@code AZURE_STORAGE_KEY}, or for {@code devstoreaccount1} the
 *       emulator's public development key, or {@code AZURE_STORAGE_SAS_TOKEN};</li>
 *   <li>{@code AZURE_STORAGE_CONNECTION_STRING};</li>
 *   <li>{@code account} or {@code AZURE_STORAGE_ACCOUNT} with {@code AZURE_STORAGE_KEY} or
 *       {@code AZURE_STORAGE_SAS_TOKEN}, on {@code https://<account>.blob.core.windows.net}
 *       ({@code account=devstoreaccount1} alone means Azurite on {@code 127.0.0.1:10000}).</li>
 * </ol>
 * Environment keys and tokens are used only when {@code AZURE_STORAGE_ACCOUNT} is unset or names the
 * same account.
 *
 * <h2>Examples</h2>
 * <pre>
 * azure://orders                                  (AZURE_STORAGE_CONNECTION_STRING)
 * azure://orders/eu/2024?account=myacct           (AZURE_STORAGE_KEY)
 * azure://test?endpoint=http://127.0.0.1:10000/devstoreaccount1&amp;createContainer=true
 * </pre>
 * The driver it builds uses the JDK HTTP client and no SDK retries; see {@link AzureBlobDriver}.
 *
 * <p>Thread-safety: stateless.
 */
public final class AzureBlobDriverProvider implements StoreDriverProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public AzureBlobDriverProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("azure");
    }

    /**
     * The parameters listed above: {@code connectionString}, {@code endpoint}, {@code account},
     * {@code createContainer}, {@code timeout}.
     *
     * @return the parameter names, in that order
     */
    @Override
    public Set<String> parameters() {
        return AzureConnection.PARAMETERS;
    }

    @Override
    public StoreDriver open(URI uri) {
        return AzureBlobDriver.open(uri);
    }
}
