namespace PgStandby.Core.Tls;

/// <summary>
/// The block printed in the logs, as the SSH key's is, when the standby waits for its TLS client certificate: the
/// request to sign on the primary, and where the signed certificate goes.
/// </summary>
public static class TlsRequestBanner
{
    public static string Format(string requestPem, string commonName, string requestPath, string certificatePath) => string.Join(
        Environment.NewLine,
        [
            "================ PGSTANDBY TLS CERTIFICATE REQUEST ================",
            "Sign this request on the primary: this standby reaches its pgBackRest TLS server as CN=" + commonName + ".",
            string.Empty,
            .. requestPem.Trim().Split('\n').Select(l => l.TrimEnd('\r')),
            string.Empty,
            "On the primary, as root, with the request above in a file (here: " + requestPath + "):",
            "  deploy/primary/setup-primary.sh --sign-csr FILE",
            "then place the bundle it writes (certificate and CA) on this standby at " + certificatePath,
            "(or in PGSTANDBY_TLS_CERT / PGSTANDBY_TLS_CERT_FILE); the worker goes on by itself.",
            "===================================================================",
        ]);

    /// <summary>The next step while the certificate is missing or refused.</summary>
    public static string NextStep(string requestPath, string certificatePath) =>
        $"on the primary, as root: setup-primary.sh --sign-csr FILE with this standby's request (pgstandby show-key prints it; it is {requestPath}), then place the bundle it writes at {certificatePath} here, or set PGSTANDBY_TLS_CERT_FILE";
}
