using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;

namespace PgStandby.Core.Tls;

/// <summary>BACKREST_PRIMARY_TLS_CA must be one CA certificate in PEM; checked with every other variable when the worker starts.</summary>
public sealed class TlsCaRule : IValidateOptions<RepositoryOptions>
{
    public ValidateOptionsResult Validate(string? name, RepositoryOptions options) =>
        options.TlsCaPem is { } pem && TlsCaPin.FromVariable(pem).Problem is { } problem
            ? ValidateOptionsResult.Fail("BACKREST_PRIMARY_TLS_CA: " + problem)
            : ValidateOptionsResult.Success;
}
