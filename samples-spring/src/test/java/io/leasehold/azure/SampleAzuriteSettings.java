package io.leasehold.azure;

import com.azure.storage.common.StorageSharedKeyCredential;

/** The emulator's public development account, for the sample's tests (package-private in the adapter). */
public final class SampleAzuriteSettings {
    private SampleAzuriteSettings() {
    }

    public static StorageSharedKeyCredential credential() {
        return new StorageSharedKeyCredential(AzureConnection.DEV_ACCOUNT, AzureConnection.DEV_ACCOUNT_KEY);
    }

    public static String accountKey() {
        return AzureConnection.DEV_ACCOUNT_KEY;
    }
}
