using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;

namespace PgStandby.Core.Ssh;

/// <summary>BACKREST_PRIMARY_HOST_KEY must be a key or a fingerprint the SSH client can compare; checked with every other variable when the worker starts.</summary>
public sealed class PinnedHostKeyRule : IValidateOptions<RepositoryOptions>
{
    public ValidateOptionsResult Validate(string? name, RepositoryOptions options) =>
        options.PinnedHostKey is { } pinned && PinnedHostKey.TryParse(pinned) is null
            ? ValidateOptionsResult.Fail("BACKREST_PRIMARY_HOST_KEY must be a known_hosts line ('ssh-ed25519 AAAA…', host first or not) or a fingerprint 'SHA256:…' as ssh-keygen -lf prints it.")
            : ValidateOptionsResult.Success;
}
