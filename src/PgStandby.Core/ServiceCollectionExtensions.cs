using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using PgStandby.Core.Configuration;
using PgStandby.Core.Health;
using PgStandby.Core.Keys;
using PgStandby.Core.Pipeline;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Promotion;
using PgStandby.Core.Rendering;
using PgStandby.Core.Replication;
using PgStandby.Core.Restore;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tls;
using PgStandby.Core.Monitoring;
using PgStandby.Core.Repository;
using PgStandby.Core.Supervision;

namespace PgStandby.Core;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything the pipeline stages use; the Worker adds the hosted services themselves.</summary>
    public static IServiceCollection AddPgStandbyCore(this IServiceCollection services)
    {
        services.AddPgStandbyOptions();
        // Rules of the capabilities that read a variable's value: checked with every other variable at start.
        services.AddSingleton<IValidateOptions<StandbyOptions>, ExtraSettingsRules>();
        services.AddSingleton<IValidateOptions<RepositoryOptions>, PinnedHostKeyRule>();
        services.AddSingleton<IValidateOptions<RepositoryOptions>, TlsCaRule>();
        services.AddSingleton<IValidateOptions<StandbyOptions>, TlsCertificateRule>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<HealthState>();
        services.AddSingleton<PipelineGate>();
        services.AddSingleton<StageRunner>();
        services.AddSingleton<ICommandRunner, CliWrapCommandRunner>();
        services.AddSingleton<FolderPreparer>();
        services.AddSingleton<LeftoverProcesses>();
        services.AddSingleton<DataDirectoryLock>();
        services.AddSingleton<WorkerPathLocks>();
        services.AddSingleton<KeyProvisioner>();
        services.AddSingleton<SshNetRemoteShell>();
        services.AddSingleton<TlsClientCredentials>();
        services.AddSingleton<TlsRemoteShell>();
        services.AddSingleton<IRemoteShell>(p => p.GetRequiredService<IOptions<RepositoryOptions>>().Value.Transport == RepositoryTransport.Tls
            ? p.GetRequiredService<TlsRemoteShell>()
            : p.GetRequiredService<SshNetRemoteShell>());
        services.AddSingleton<ConfigRenderer>();
        services.AddSingleton<SoftwareVersions>();
        services.AddSingleton<RepositoryWaiter>();
        services.AddSingleton<RestoreRunner>();
        services.AddSingleton<PreRestoreChecks>();
        services.AddSingleton<DataDirectoryOwnership>();
        services.AddSingleton<StandbyProcesses>();
        services.AddSingleton<StandbyMemory>();
        services.AddSingleton<IBackupRestore, BackupRestore>();
        services.AddSingleton<RestoreCoordinator>();
        services.AddSingleton<StandbyResync>();
        services.AddSingleton<ResyncSignal>();
        services.AddSingleton<ForkConfirmation>();
        services.AddSingleton<StreamingStarted>();
        services.AddSingleton<IStandbyResync>(p => p.GetRequiredService<StandbyResync>());
        services.AddSingleton<PostgresTools>();
        services.AddSingleton<PostgresRunLines>();
        services.AddSingleton<PostmasterReadiness>();
        services.AddSingleton<PostgresSupervisor>();
        services.AddSingleton<WalPrefetch>();
        services.AddSingleton<AdoptedPostmaster>();
        services.AddSingleton<IStandbyQueries, NpgsqlStandbyQueries>();
        services.AddSingleton<IArchiveTarget, ArchiveTarget>();
        services.AddSingleton<LagMonitor>();
        services.AddSingleton<NodeRole>();
        services.AddSingleton<ILocalNode, NpgsqlLocalNode>();
        services.AddSingleton<PromotionRecorder>();
        services.AddSingleton<IPromotionRecorder>(p => p.GetRequiredService<PromotionRecorder>());
        services.AddSingleton<PrimaryMonitor>();
        services.AddSingleton<Promoter>();
        services.AddSingleton<Gaps.RefusedSegments>();
        services.AddSingleton<ArchivedSegments>();
        services.AddSingleton<Gaps.GapInspector>();
        services.AddSingleton<Gaps.StallResponse>();
        services.AddSingleton<Gaps.IConsistencyWatch, Gaps.ConsistencyWatch>();
        return services;
    }
}
