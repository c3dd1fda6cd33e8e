using System.Security.Cryptography;
using System.Text;

namespace ChurnFlows.Storage;

/// <summary>An account name and key used to sign requests (SharedKey / SharedKeyLite).</summary>
public sealed class StorageSharedKeyCredential
{
    private readonly byte[] _key;

    /// <summary>Creates a credential.</summary>
    /// <exception cref="FormatException">The key is not base64.</exception>
    public StorageSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        ArgumentException.ThrowIfNullOrEmpty(accountKey);
        AccountName = accountName;
        try
        {
            _key = Convert.FromBase64String(accountKey);
        }
        catch (FormatException e)
        {
            throw new FormatException($"The AccountKey of account '{accountName}' is not valid base64.", e);
        }
    }

    /// <summary>Gets the account name.</summary>
    public string AccountName { get; }

    /// <summary>Computes the base64 HMAC-SHA256 signature of <paramref name="stringToSign"/>.</summary>
    public string ComputeSignature(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));
}
