using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PgStandby.Core.Tls;

namespace PgStandby.Core.Tests.Tls;

public sealed class TlsCaPinTests
{
    private static readonly DateTimeOffset Now = TestCa.Now;

    [Fact]
    public void FromVariable_CaCertificate_PinsItWithBothFingerprints()
    {
        // Arrange
        using var ca = TestCa.Create();
        var hash = SHA256.HashData(ca.Certificate.RawData);

        // Act
        var result = TlsCaPin.FromVariable(ca.Pem);

        // Assert
        Assert.Null(result.Problem);
        var pin = result.Pin!;
        Assert.Equal(TlsCaPinSource.Variable, pin.Source);
        Assert.Equal("CN=pgbackrest-ca", pin.Subject);
        Assert.Equal("SHA256:" + Convert.ToBase64String(hash).TrimEnd('='), pin.FingerprintSha256);
        Assert.Equal(BitConverter.ToString(hash).Replace('-', ':'), pin.FingerprintColonHex);
        Assert.Equal(Now.AddYears(5), pin.NotAfter);
        using var pinned = X509Certificate2.CreateFromPem(pin.Pem);
        Assert.Equal(ca.Certificate.RawData, pinned.RawData);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    public void FromVariable_NoCertificate_NamesTheVariableAndTheFix(string pem)
    {
        // Act
        var result = TlsCaPin.FromVariable(pem);

        // Assert
        Assert.Null(result.Pin);
        Assert.StartsWith("BACKREST_PRIMARY_TLS_CA holds ", result.Problem, StringComparison.Ordinal);
        Assert.Contains("set BACKREST_PRIMARY_TLS_CA", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FromVariable_ClientCertificate_IsRefusedAsNotACa()
    {
        // Arrange
        using var ca = TestCa.Create();
        var identity = TlsClientIdentity.Create("slave");
        var leaf = ca.Sign(identity.RequestPem, extensions: [new X509BasicConstraintsExtension(false, false, 0, true)]);

        // Act
        var result = TlsCaPin.FromVariable(leaf);

        // Assert
        Assert.Null(result.Pin);
        Assert.Contains("is not a CA certificate (basicConstraints CA:FALSE", result.Problem, StringComparison.Ordinal);
        Assert.Contains(identity.CommonName, result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FromVariable_TwoCertificates_IsRefused()
    {
        // Arrange
        using var ca = TestCa.Create();
        using var other = TestCa.Create("CN=other-ca");

        // Act
        var result = TlsCaPin.FromVariable(ca.Pem + other.Pem);

        // Assert
        Assert.Null(result.Pin);
        Assert.Contains("holds 2 certificates", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBundle_ClientAndCa_PinsTheCaAndTheClientChainsToIt()
    {
        // Arrange
        using var ca = TestCa.Create();
        var certificate = Placed(ca, ca.Pem);

        // Act
        var result = TlsCaPin.FromBundle(certificate);
        var problem = result.Pin!.IssuerProblem(certificate);

        // Assert
        Assert.Equal(TlsCaPinSource.Bundle, result.Pin.Source);
        Assert.Equal("CN=pgbackrest-ca", result.Pin.Subject);
        Assert.Null(problem);
    }

    [Fact]
    public void FromBundle_ThroughAnIntermediate_PinsTheRootAndTheClientChainsToIt()
    {
        // Arrange
        using var root = TestCa.Create("CN=root-ca");
        using var intermediate = root.Intermediate("CN=intermediate-ca");
        var certificate = Placed(intermediate, intermediate.Pem + root.Pem);

        // Act
        var result = TlsCaPin.FromBundle(certificate);
        var problem = result.Pin!.IssuerProblem(certificate);

        // Assert
        Assert.Equal("CN=root-ca", result.Pin.Subject);
        Assert.Null(problem);
    }

    [Fact]
    public void FromBundle_ClientCertificateAlone_SaysThereIsNoCaToPin()
    {
        // Arrange
        using var ca = TestCa.Create();
        var certificate = Placed(ca, string.Empty);

        // Act
        var result = TlsCaPin.FromBundle(certificate);

        // Assert
        Assert.Null(result.Pin);
        Assert.Contains("no CA certificate after the client certificate", result.Problem, StringComparison.Ordinal);
        Assert.Contains("BACKREST_PRIMARY_TLS_CA", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void IssuerProblem_SignedByAnotherCa_NamesBothCasAndTheFix()
    {
        // Arrange
        using var ca = TestCa.Create();
        using var other = TestCa.Create("CN=other-ca");
        var certificate = Placed(other, other.Pem);
        var pin = TlsCaPin.FromVariable(ca.Pem).Pin!;

        // Act
        var problem = pin.IssuerProblem(certificate);

        // Assert
        Assert.NotNull(problem);
        Assert.Contains("signed by CA CN=other-ca, but the pinned CA is CN=pgbackrest-ca (" + pin.FingerprintSha256, problem, StringComparison.Ordinal);
        Assert.Contains("setup-primary.sh --sign-csr", problem, StringComparison.Ordinal);
        Assert.Contains("fix BACKREST_PRIMARY_TLS_CA", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void IssuerProblem_CaOfTheSameNameWithAnotherKey_IsAnotherCa()
    {
        // Arrange
        using var ca = TestCa.Create();
        using var remade = TestCa.Create();
        var certificate = Placed(remade, remade.Pem);
        var pin = TlsCaPin.FromRecorded(ca.Pem).Pin!;

        // Act
        var problem = pin.IssuerProblem(certificate);

        // Assert
        Assert.NotNull(problem);
        Assert.Contains("same name but another key", problem, StringComparison.Ordinal);
        Assert.Contains("remove pgstandby-tls-ca.crt", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void IssuerProblem_ExpiredCertificateOfThePinnedCa_IsNone()
    {
        // Arrange
        using var ca = TestCa.Create();
        var identity = TlsClientIdentity.Create("slave");
        var client = ca.Sign(identity.RequestPem, notBefore: Now.AddYears(-2), notAfter: Now.AddYears(-1));
        var certificate = TlsCertificateCheck.Decide(identity.PrivateKeyPem, client, Now).Certificate!;
        var pin = TlsCaPin.FromVariable(ca.Pem).Pin!;

        // Act
        var problem = pin.IssuerProblem(certificate);

        // Assert
        Assert.Null(problem);
    }

    /// <summary>A standby's request signed by <paramref name="signer"/>, placed with <paramref name="caPems"/> after it, as the check reads it.</summary>
    private static TlsClientCertificate Placed(TestCa signer, string caPems)
    {
        var identity = TlsClientIdentity.Create("slave");
        var check = TlsCertificateCheck.Decide(identity.PrivateKeyPem, signer.Sign(identity.RequestPem) + caPems, Now);
        Assert.Equal(TlsCertificateVerdict.Ok, check.Verdict);
        return check.Certificate!;
    }
}
