using Microsoft.Extensions.Configuration;
using PgStandby.Core.Configuration;
using PgStandby.Core.Rendering;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tls;

namespace PgStandby.Core.Tests.Configuration;

/// <summary>Every options class bound from one environment, as the worker binds them at start.</summary>
internal sealed record BoundEnvironment(
    RepositoryOptions Repository, ReplicationOptions Replication, StandbyOptions Standby, SupervisionOptions Supervision)
{
    /// <summary>The setups' problems and the capabilities' rules (AddPgStandbyCore registers both).</summary>
    public IReadOnlyList<string> Problems =>
    [
        .. Repository.Problems, .. Replication.Problems, .. Standby.Problems, .. Supervision.Problems,
        .. new PinnedHostKeyRule().Validate(null, Repository).Failures ?? [],
        .. new ExtraSettingsRules().Validate(null, Standby).Failures ?? [],
        .. new TlsCaRule().Validate(null, Repository).Failures ?? [],
        .. new TlsCertificateRule().Validate(null, Standby).Failures ?? [],
    ];

    public static BoundEnvironment From(IConfiguration configuration)
    {
        var repository = new RepositoryOptions();
        new RepositoryOptionsSetup(configuration).Configure(repository);
        var replication = new ReplicationOptions();
        new ReplicationOptionsSetup(configuration).Configure(replication);
        var standby = new StandbyOptions();
        new StandbyOptionsSetup(configuration).Configure(standby);
        var supervision = new SupervisionOptions();
        new SupervisionOptionsSetup(configuration).Configure(supervision);
        return new BoundEnvironment(repository, replication, standby, supervision);
    }
}
