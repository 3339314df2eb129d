package io.leasehold.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.leasehold.core.InvalidArgumentException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an {@code azure://container[/prefix]?…} URI plus environment variables into a container
 * client with a single-try retry policy and the JDK HTTP client. See {@link AzureBlobDriverProvider}
 * for the parameters.
 *
 * <p>Thread-safety: stateless.
 */
final class AzureConnection {
    /** The Azure Storage emulator's well-known account; its key is public and documented by Microsoft. */
    static final String DEV_ACCOUNT = "devstoreaccount1";
    static final String DEV_ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    static final String DEV_ENDPOINT = "http://127.0.0.1:10000/" + DEV_ACCOUNT;

    static final String ENV_CONNECTION_STRING = "AZURE_STORAGE_CONNECTION_STRING";
    static final String ENV_ACCOUNT = "AZURE_STORAGE_ACCOUNT";
    static final String ENV_KEY = "AZURE_STORAGE_KEY";
    static final String ENV_SAS_TOKEN = "AZURE_STORAGE_SAS_TOKEN";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The query parameters of an {@code azure://} URI, in the documented order. */
    static final Set<String> PARAMETERS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of("connectionString",
            "endpoint", "account", "createContainer", "timeout")));
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private AzureConnection() {
    }

    /**
     * Opens a driver for a URI.
     *
     * @param uri the store URI
     * @param env the environment variables to read
     * @return the driver
     */
    static AzureBlobDriver open(URI uri, Map<String, String> env) {
        if (uri == null) {
            throw new InvalidArgumentException("uri", "must not be null");
        }
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("azure")) {
            throw new InvalidArgumentException("uri", "expected azure://container[/prefix]");
        }
        if (uri.getRawUserInfo() != null || uri.getPort() != -1) {
            throw new InvalidArgumentException("uri", "azure://container[/prefix] takes no user or port;"
                    + " give the service with ?endpoint=…");
        }
        String container = BlobNames.container(uri.getHost() != null ? uri.getHost() : uri.getAuthority());
        String prefix = BlobNames.prefix(uri.getPath());
        Map<String, String> params = query(uri.getRawQuery());
        Duration timeout = params.containsKey("timeout") ? duration(params.get("timeout")) : DEFAULT_TIMEOUT;
        boolean createContainer = bool("createContainer", params.getOrDefault("createContainer", "false"));

        BlobContainerClientBuilder builder = new BlobContainerClientBuilder()
                .httpClient(httpClient(timeout))
                .retryOptions(singleTry())
                .containerName(container);
        BlobContainerClient client;
        try {
            configureCredentials(builder, params, env);
            client = AzureBlobDriver.withoutRetries(builder.buildClient());
        } catch (InvalidArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // The SDK's message may quote the connection string or key: do not pass it on.
            throw new InvalidArgumentException("uri", "the Azure client could not be built from the endpoint and"
                    + " credentials given (" + e.getClass().getSimpleName() + ")");
        }
        if (createContainer) {
            try {
                client.createIfNotExistsWithResponse(null, null, Context.NONE);
            } catch (RuntimeException e) {
                throw AzureErrors.map(e, AzureErrors.Op.OVERWRITE, null, container);
            }
        }
        return new AzureBlobDriver(client, prefix);
    }

    /**
     * Chooses endpoint and credential: the {@code connectionString} parameter; else the
     * {@code endpoint} parameter with a key or SAS token from the environment (or the development key
     * for {@value #DEV_ACCOUNT}); else {@value #ENV_CONNECTION_STRING}; else an account from the
     * {@code account} parameter or {@value #ENV_ACCOUNT} with {@value #ENV_KEY} or
     * {@value #ENV_SAS_TOKEN} on {@code https://<account>.blob.core.windows.net}.
     */
    private static void configureCredentials(BlobContainerClientBuilder builder, Map<String, String> params,
                                             Map<String, String> env) {
        String connectionString = params.get("connectionString");
        String endpoint = params.get("endpoint");
        if (connectionString != null) {
            if (endpoint != null || params.containsKey("account")) {
                throw new InvalidArgumentException("uri", "give connectionString, or endpoint and account, not both");
            }
            connectionString(builder, connectionString);
            return;
        }
        if (endpoint == null && params.get("account") == null && nonEmpty(env.get(ENV_CONNECTION_STRING))) {
            connectionString(builder, env.get(ENV_CONNECTION_STRING));
            return;
        }
        String account = params.get("account");
        if (endpoint != null) {
            URI parsed = endpointUri(endpoint);
            if (account == null) {
                account = accountOf(parsed);
            }
            if (account == null) {
                account = env.get(ENV_ACCOUNT);
            }
        } else {
            if (account == null) {
                account = env.get(ENV_ACCOUNT);
            }
            if (!nonEmpty(account)) {
                throw new InvalidArgumentException("uri", "no Azure credentials: set " + ENV_CONNECTION_STRING
                        + ", or " + ENV_ACCOUNT + " and " + ENV_KEY + " (or " + ENV_SAS_TOKEN
                        + "), or add ?endpoint=…&account=… (e.g. Azurite: ?endpoint=" + DEV_ENDPOINT
                        + "&account=" + DEV_ACCOUNT + ")");
            }
            endpoint = account.equals(DEV_ACCOUNT) ? DEV_ENDPOINT : "https://" + account + ".blob.core.windows.net";
        }
        if (!nonEmpty(account)) {
            throw new InvalidArgumentException("uri", "cannot tell the account from endpoint; add &account=…");
        }
        String envAccount = env.get(ENV_ACCOUNT);
        boolean envMatches = !nonEmpty(envAccount) || envAccount.equals(account);
        builder.endpoint(trimSlash(endpoint));
        if (envMatches && nonEmpty(env.get(ENV_KEY))) {
            builder.credential(new StorageSharedKeyCredential(account, env.get(ENV_KEY)));
        } else if (account.equals(DEV_ACCOUNT)) {
            builder.credential(new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY));
        } else if (envMatches && nonEmpty(env.get(ENV_SAS_TOKEN))) {
            builder.sasToken(env.get(ENV_SAS_TOKEN));
        } else {
            throw new InvalidArgumentException("uri", "no credentials for account '" + account + "': set " + ENV_KEY
                    + " or " + ENV_SAS_TOKEN + " (with " + ENV_ACCOUNT + " unset or equal to the account),"
                    + " or use connectionString");
        }
    }

    private static void connectionString(BlobContainerClientBuilder builder, String connectionString) {
        try {
            builder.connectionString(connectionString);
        } catch (RuntimeException e) {
            throw new InvalidArgumentException("uri", "the Azure connection string is malformed ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The JDK HTTP client, HTTP/1.1 only (what Azure Blob speaks; no h2c upgrade attempts), with
     * connect and response timeouts so that a hung request ends as a classified failure.
     */
    static HttpClient httpClient(Duration timeout) {
        return new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1))
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(timeout)
                .readTimeout(timeout)
                .build();
    }

    /** One try, no SDK retries: the facade is the only retry layer (the policy is then removed altogether). */
    static RequestRetryOptions singleTry() {
        return new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Integer) null, (Long) null, (Long) null, (String) null);
    }

    private static URI endpointUri(String endpoint) {
        try {
            URI parsed = new URI(endpoint);
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || parsed.getHost() == null) {
                throw new InvalidArgumentException("endpoint", "must be an http(s) URL such as " + DEV_ENDPOINT);
            }
            if (parsed.getRawQuery() != null || parsed.getRawUserInfo() != null) {
                throw new InvalidArgumentException("endpoint", "must not carry a query or user info;"
                        + " put SAS tokens in " + ENV_SAS_TOKEN);
            }
            return parsed;
        } catch (URISyntaxException e) {
            throw new InvalidArgumentException("endpoint", "is not a valid URL");
        }
    }

    /** The account of an endpoint: the first path segment for IP-style (emulator) URLs, else the first host label. */
    private static String accountOf(URI endpoint) {
        String host = endpoint.getHost();
        boolean ipStyle = host.equals("localhost") || host.matches("[0-9.]+") || host.startsWith("[");
        if (ipStyle) {
            String path = endpoint.getPath() == null ? "" : endpoint.getPath().replaceFirst("^/+", "");
            int slash = path.indexOf('/');
            String first = slash < 0 ? path : path.substring(0, slash);
            return first.isEmpty() ? null : first;
        }
        int dot = host.indexOf('.');
        return dot <= 0 ? null : host.substring(0, dot);
    }

    /** Query parameters, percent-decoded; a literal '+' stays '+' (connection strings hold base64 keys). */
    static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!PARAMETERS.contains(name)) {
                throw new InvalidArgumentException("uri", "unknown parameter '" + name + "'; known: " + PARAMETERS
                        + " (account keys and SAS tokens go in environment variables)");
            }
            if (params.put(name, value) != null) {
                throw new InvalidArgumentException("uri", "parameter '" + name + "' given twice");
            }
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("uri", "malformed percent-encoding in the query");
        }
    }

    /**
     * Parses {@code 30s}, {@code 500ms}, {@code 2m} or ISO-8601 {@code PT30S}.
     *
     * @param text the text
     * @return a positive duration
     */
    static Duration duration(String text) {
        Matcher m = SIMPLE_DURATION.matcher(text.trim());
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = m.group(2).equals("ms") ? Duration.ofMillis(n) : m.group(2).equals("s") ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
        } else {
            try {
                d = Duration.parse(text.trim());
            } catch (RuntimeException e) {
                throw new InvalidArgumentException("timeout", "expected e.g. 30s, 500ms, 2m or PT30S");
            }
        }
        if (d.isZero() || d.isNegative()) {
            throw new InvalidArgumentException("timeout", "must be positive");
        }
        return d;
    }

    private static boolean bool(String name, String value) {
        if (value.equalsIgnoreCase("true") || value.isEmpty()) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new InvalidArgumentException(name, "must be true or false");
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isBlank();
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
