using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PgStandby.Core.Tls;

namespace PgStandby.Core.Tests.Tls;

public sealed class TlsCertificateCheckTests
{
    private static readonly DateTimeOffset Now = TestCa.Now;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n")]
    public void Decide_NoCertificate_IsMissing(string? bundle)
    {
        // Arrange
        var identity = TlsClientIdentity.Create("slave");

        // Act
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, bundle, Now);

        // Assert
        Assert.Equal(TlsCertificateVerdict.Missing, check.Verdict);
        Assert.Null(check.Certificate);
        Assert.Contains("setup-primary.sh --sign-csr", check.Problem, StringComparison.Ordinal);
        Assert.Contains("pgstandby-tls.csr", check.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage", "no PEM block")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not X.509")]
    [InlineData("-----BEGIN DH PARAMETERS-----\nAAAA\n-----END DH PARAMETERS-----\n", "only DH PARAMETERS")]
    public void Decide_NoReadableCertificate_IsNotPemSayingWhatItHolds(string bundle, string found)
    {
        // Arrange
        var identity = TlsClientIdentity.Create("slave");

        // Act
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, bundle, Now);

        // Assert
        Assert.Equal(TlsCertificateVerdict.NotPem, check.Verdict);
        Assert.Contains(found, check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_TheRequestPlacedInstead_IsNotPemNamingTheRequest()
    {
        // Arrange
        var identity = TlsClientIdentity.Create("slave");

        // Act
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, identity.RequestPem, Now);

        // Assert
        Assert.Equal(TlsCertificateVerdict.NotPem, check.Verdict);
        Assert.Contains("the request (CERTIFICATE REQUEST), not the certificate", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_TheKeyPlacedInstead_IsNotPemWithoutEchoingTheKey()
    {
        // Arrange
        var identity = TlsClientIdentity.Create("slave");

        // Act
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, identity.PrivateKeyPem, Now);

        // Assert
        Assert.Equal(TlsCertificateVerdict.NotPem, check.Verdict);
        Assert.Contains("only PRIVATE KEY block(s)", check.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain(identity.PrivateKeyPem.Split('\n')[1], check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SignedBundle_IsOkWithItsFacts()
    {
        // Arrange
        using var ca = TestCa.Create();
        var identity = TlsClientIdentity.Create("slave");
        var client = ca.Sign(identity.RequestPem, notAfter: Now.AddDays(90));

        // Act
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, client + ca.Pem, Now);

        // Assert
        Assert.Equal(TlsCertificateVerdict.Ok, check.Verdict);
        Assert.True(check.IsOk);
        Assert.Null(check.Problem);
        var facts = check.Certificate!;
        Assert.Equal("CN=" + identity.CommonName, facts.Subject);
        Assert.Equal(identity.CommonName, facts.CommonName);
        Assert.Equal("CN=pgbackrest-ca", facts.Issuer);
        Assert.Equal(Now.AddDays(90), facts.NotAfter);
        Assert.Equal(Now.AddDays(-1), facts.NotBefore);
        var (base64, hex) = IndependentFingerprints(client);
        Assert.Equal(base64, facts.FingerprintSha256);
        Assert.Equal(hex, facts.FingerprintColonHex);
        Assert.Equal(DerOf(client), DerOf(facts.Pem));
        Assert.Equal(ca.Certificate.RawData, DerOf(Assert.Single(facts.CaCertificatesPem)));
    }

    [Fact]
    public void Decide_CertificateWithoutUsageExtensions_IsOk()
    {
        // Arrange
        using var ca = TestCa.Create();
        var identity = TlsClientIdentity.Create("slave");
        var client = ca.Sign(identity.RequestPem, extensions: []);

        // Act
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, client, Now);

        // Assert
        Assert.Equal(TlsCertificateVerdict.Ok, check.Verdict);
        Assert.Empty(check.Certificate!.CaCertificatesPem);
    }

    [Fact]
    public void Decide_SignedForAnotherRequest_IsWrongKey()
    {
        // Arrange
        using var ca = TestCa.Create();
        var identity = TlsClientIdentity.Create("slave");
        var other = TlsClientIdentity.Create("slave");
        var client = ca.Sign(other.RequestPem);

        // Act
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, client + ca.Pem, Now);

        // Assert
        Assert.Equal(TlsCertificateVerdict.WrongKey, check.Verdict);
        Assert.Contains("signed for another request", check.Problem, StringComparison.Ordinal);
        Assert.Contains(other.CommonName, check.Problem, StringComparison.Ordinal);
        Assert.Equal(other.CommonName, check.Certificate!.CommonName);
        Assert.DoesNotContain("put it first", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_CaCertificateFirst_IsWrongKeySayingToPutTheClientFirst()
    {
        // Arrange
        using var ca = TestCa.Create();
        var identity = TlsClientIdentity.Create("slave");
        var client = ca.Sign(identity.RequestPem);

        // Act
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, ca.Pem + client, Now);

        // Assert
        Assert.Equal(TlsCertificateVerdict.WrongKey, check.Verdict);
        Assert.Contains("put it first", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_BeforeNotBefore_IsNotYetValid()
    {
        // Arrange
        using var ca = TestCa.Create();
        var identity = TlsClientIdentity.Create("slave");
        var client = ca.Sign(identity.RequestPem, notBefore: Now.AddDays(1), notAfter: Now.AddDays(91));

        // Act
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, client + ca.Pem, Now);

        // Assert
        Assert.Equal(TlsCertificateVerdict.NotYetValid, check.Verdict);
        Assert.Contains("not valid before 2026-06-02 12:00:00 UTC", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AfterNotAfter_IsExpiredWithTheDate()
    {
        // Arrange
        using var ca = TestCa.Create();
        var identity = TlsClientIdentity.Create("slave");
        var client = ca.Sign(identity.RequestPem, notBefore: Now.AddDays(-100), notAfter: Now.AddDays(-10));

        // Act
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, client + ca.Pem, Now);

        // Assert
        Assert.Equal(TlsCertificateVerdict.Expired, check.Verdict);
        Assert.Contains("expired on 2026-05-22 12:00:00 UTC", check.Problem, StringComparison.Ordinal);
        Assert.Contains("setup-primary.sh --sign-csr", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ServerAuthOnly_IsNotForClientAuth()
    {
        // Arrange
        using var ca = TestCa.Create();
        var identity = TlsClientIdentity.Create("slave");
        var serverAuth = new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false);
        var client = ca.Sign(identity.RequestPem, extensions: [serverAuth]);

        // Act
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, client + ca.Pem, Now);

        // Assert
        Assert.Equal(TlsCertificateVerdict.NotForClientAuth, check.Verdict);
        Assert.Contains("lacks clientAuth", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_KeyUsageWithoutDigitalSignature_IsNotForClientAuth()
    {
        // Arrange
        using var ca = TestCa.Create();
        var identity = TlsClientIdentity.Create("slave");
        var usage = new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, critical: true);
        var client = ca.Sign(identity.RequestPem, extensions: [usage]);

        // Act
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, client + ca.Pem, Now);

        // Assert
        Assert.Equal(TlsCertificateVerdict.NotForClientAuth, check.Verdict);
        Assert.Contains("neither digitalSignature nor keyAgreement", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_UnreadableKey_Throws()
    {
        // Arrange
        using var ca = TestCa.Create();
        var identity = TlsClientIdentity.Create("slave");
        var client = ca.Sign(identity.RequestPem);

        // Act
        var thrown = Record.Exception(() => TlsCertificateCheck.Decide("not a key", client, Now));

        // Assert
        var invalid = Assert.IsType<InvalidDataException>(thrown);
        Assert.Contains("pgstandby-tls.key", invalid.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 30, true)]
    [InlineData(10, 5, false)]
    [InlineData(-1, 30, true)]
    public void ExpiresWithin_Window_ComparesNotAfterWithNow(int daysLeft, int windowDays, bool expected)
    {
        // Arrange
        using var ca = TestCa.Create();
        var identity = TlsClientIdentity.Create("slave");
        var client = ca.Sign(identity.RequestPem, notBefore: Now.AddDays(-30), notAfter: Now.AddDays(daysLeft));
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, client, Now);

        // Act
        var expires = check.ExpiresWithin(TimeSpan.FromDays(windowDays), Now);

        // Assert
        Assert.Equal(expected, expires);
    }

    [Fact]
    public void ExpiresWithin_NoCertificate_IsFalse()
    {
        // Arrange
        var check = TlsCertificateCheck.Decide(TlsClientIdentity.Create("slave").PrivateKeyPem, null, Now);

        // Act
        var expires = check.ExpiresWithin(TimeSpan.FromDays(30), Now);

        // Assert
        Assert.False(expires);
    }

    private static (string Base64, string Hex) IndependentFingerprints(string pem)
    {
        var hash = SHA256.HashData(DerOf(pem));
        return ("SHA256:" + Convert.ToBase64String(hash).TrimEnd('='), BitConverter.ToString(hash).Replace('-', ':'));
    }

    private static byte[] DerOf(string pem)
    {
        using var certificate = X509Certificate2.CreateFromPem(pem);
        return certificate.RawData;
    }
}
