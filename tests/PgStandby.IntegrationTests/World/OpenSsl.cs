using System.Globalization;

namespace PgStandby.IntegrationTests.World;

/// <summary>A TLS client's key, request and certificate made with openssl, as an operator (or a CA) makes them by hand.</summary>
internal static class OpenSsl
{
    /// <summary>A P-256 key in <paramref name="keyFile"/> and its request for CN=<paramref name="commonName"/> in <paramref name="requestFile"/>.</summary>
    public static async Task KeyAndRequestAsync(string keyFile, string requestFile, string commonName)
    {
        await Shell.RunAsync("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", keyFile]);
        await Shell.RunAsync("openssl", ["req", "-new", "-key", keyFile, "-subj", "/CN=" + commonName, "-out", requestFile]);
    }

    /// <summary>
    /// Signs <paramref name="requestFile"/> as a client certificate (clientAuth, not a CA) with the CA
    /// <paramref name="caCertificate"/>/<paramref name="caKey"/> for <paramref name="days"/> days (negative: expired already),
    /// without setup-primary.sh, into <paramref name="certificateFile"/>.
    /// </summary>
    public static async Task SignClientAsync(string requestFile, string caCertificate, string caKey, int days, string certificateFile)
    {
        var extensions = certificateFile + ".ext";
        await File.WriteAllTextAsync(extensions, "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n");
        await Shell.RunAsync("openssl", ["x509", "-req", "-in", requestFile, "-CA", caCertificate, "-CAkey", caKey, "-set_serial", "0x" + Convert.ToHexString(Guid.NewGuid().ToByteArray()), "-days", days.ToString(CultureInfo.InvariantCulture), "-extfile", extensions, "-out", certificateFile]);
    }
}
