using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PgStandby.Core.Tls;

namespace PgStandby.Core.Tests.Tls;

public sealed class TlsClientIdentityTests
{
    [Fact]
    public void Create_Request_NamesTheStandbyAndAsksForClientAuth()
    {
        // Act
        var identity = TlsClientIdentity.Create("slave");

        // Assert
        var request = CertificateRequest.LoadSigningRequestPem(identity.RequestPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        Assert.StartsWith("slave-", identity.CommonName, StringComparison.Ordinal);
        Assert.Equal("CN=" + identity.CommonName, request.SubjectName.Name);
        var usage = Assert.Single(request.CertificateExtensions.OfType<X509EnhancedKeyUsageExtension>());
        var purpose = Assert.Single(usage.EnhancedKeyUsages.Cast<Oid>());
        Assert.Equal("1.3.6.1.5.5.7.3.2", purpose.Value);
    }

    [Fact]
    public void Create_Request_IsSignedWithSha256ByAnEcdsaP256Key()
    {
        // Act
        var identity = TlsClientIdentity.Create("slave");

        // Assert
        var request = CertificateRequest.LoadSigningRequestPem(identity.RequestPem, HashAlgorithmName.SHA256);
        using var key = request.PublicKey.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal("1.2.840.10045.3.1.7", key.ExportParameters(false).Curve.Oid.Value);
        Assert.Equal("1.2.840.10045.4.3.2", SignatureAlgorithmOf(identity.RequestPem)); // ecdsa-with-SHA256
    }

    [Fact]
    public void Create_PrivateKeyReadBack_IsTheRequestsKey()
    {
        // Arrange
        var identity = TlsClientIdentity.Create("slave");

        // Act
        using var key = ECDsa.Create();
        key.ImportFromPem(identity.PrivateKeyPem);

        // Assert
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", identity.PrivateKeyPem, StringComparison.Ordinal);
        var request = CertificateRequest.LoadSigningRequestPem(identity.RequestPem, HashAlgorithmName.SHA256);
        Assert.Equal(request.PublicKey.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void Create_TwoStandbysOfTheSameName_GetTwoNamesAndTwoKeys()
    {
        // Act
        var first = TlsClientIdentity.Create("slave");
        var second = TlsClientIdentity.Create("slave");

        // Assert
        Assert.NotEqual(first.CommonName, second.CommonName);
        Assert.NotEqual(first.PrivateKeyPem, second.PrivateKeyPem);
    }

    [Fact]
    public void ReadCommonName_Request_ReturnsItsCommonName()
    {
        // Arrange
        var identity = TlsClientIdentity.Create("standby east");

        // Act
        var commonName = TlsClientIdentity.ReadCommonName(identity.RequestPem);

        // Assert
        Assert.Equal(identity.CommonName, commonName);
        Assert.StartsWith("standby-east-", commonName, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a request")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")]
    public void ReadCommonName_NotARequest_ReturnsNull(string text)
    {
        // Act
        var commonName = TlsClientIdentity.ReadCommonName(text);

        // Assert
        Assert.Null(commonName);
    }

    [Fact]
    public void ToString_Identity_LeavesThePrivateKeyOut()
    {
        // Arrange
        var identity = TlsClientIdentity.Create("slave");

        // Act
        var text = identity.ToString();

        // Assert
        Assert.Contains(identity.CommonName, text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
    }

    /// <summary>The request's signatureAlgorithm, read from its DER: CertificationRequest ::= SEQUENCE { info, algorithm, signature }.</summary>
    private static string SignatureAlgorithmOf(string requestPem)
    {
        var fields = PemEncoding.Find(requestPem);
        var request = new AsnReader(Convert.FromBase64String(requestPem[fields.Base64Data]), AsnEncodingRules.DER).ReadSequence();
        request.ReadEncodedValue();
        return request.ReadSequence().ReadObjectIdentifier();
    }
}
