using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgStandby.Core.Tests.Tls;

/// <summary>A certificate authority made in-process, as setup-primary.sh makes one with openssl, to sign test requests.</summary>
internal sealed class TestCa : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private TestCa(X509Certificate2 certificate) => Certificate = certificate;

    public X509Certificate2 Certificate { get; }

    public string Pem => Certificate.ExportCertificatePem() + "\n";

    public static TestCa Create(string name = "CN=pgbackrest-ca")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new TestCa(AuthorityRequest(name, key).CreateSelfSigned(Now.AddYears(-5), Now.AddYears(5)));
    }

    /// <summary>An intermediate CA this one signs.</summary>
    public TestCa Intermediate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = AuthorityRequest(name, key).Create(Certificate, Now.AddYears(-4), Now.AddYears(4), Serial());
        return new TestCa(certificate.CopyWithPrivateKey(key));
    }

    /// <summary>
    /// Signs a PKCS#10 request, copying its extensions (openssl's copy_extensions) unless <paramref name="extensions"/>
    /// replaces them; valid from a day before <see cref="Now"/> for 90 days unless told.
    /// </summary>
    public string Sign(string requestPem, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, IReadOnlyList<X509Extension>? extensions = null)
    {
        var request = CertificateRequest.LoadSigningRequestPem(requestPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        if (extensions is not null)
        {
            request.CertificateExtensions.Clear();
            extensions.ToList().ForEach(request.CertificateExtensions.Add);
        }

        using var certificate = request.Create(Certificate, notBefore ?? Now.AddDays(-1), notAfter ?? Now.AddDays(90), Serial());
        return certificate.ExportCertificatePem() + "\n";
    }

    public void Dispose() => Certificate.Dispose();

    private static CertificateRequest AuthorityRequest(string name, ECDsa key)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    /// <summary>A positive serial, as RFC 5280 asks.</summary>
    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }
}
