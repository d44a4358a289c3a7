using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;

namespace PgStandby.Core.Tls;

/// <summary>
/// PGSTANDBY_TLS_CERT must hold a certificate in PEM (the bundle setup-primary.sh --sign-csr writes); whether it is
/// this standby's and still valid is decided where it is used, as for a placed file.
/// </summary>
public sealed class TlsCertificateRule : IValidateOptions<StandbyOptions>
{
    public ValidateOptionsResult Validate(string? name, StandbyOptions options) =>
        options.TlsCertificatePem is { } pem && TlsPemContent.Read(pem) is { Certificates.Count: 0 } content
            ? ValidateOptionsResult.Fail($"PGSTANDBY_TLS_CERT must be the signed certificate in PEM ('-----BEGIN CERTIFICATE-----' …), but it holds {content.Describe()}.")
            : ValidateOptionsResult.Success;
}
