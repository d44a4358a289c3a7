using Microsoft.Extensions.DependencyInjection;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
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

namespace PgStandby.Core;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything the pipeline stages use; the Worker adds the hosted services themselves.</summary>
    public static IServiceCollection AddPgStandbyCore(this IServiceCollection services)
    {
        services.AddPgStandbyOptions();
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
        services.AddSingleton<IRemoteShell, SshNetRemoteShell>();
        services.AddSingleton<ConfigRenderer>();
        services.AddSingleton<SoftwareVersions>();
        services.AddSingleton<RepositoryWaiter>();
        services.AddSingleton<RestoreRunner>();
        services.AddSingleton<PreRestoreChecks>();
        services.AddSingleton<DataDirectoryOwnership>();
        services.AddSingleton<RestoreCoordinator>();
        services.AddSingleton<ResyncSignal>();
        services.AddSingleton<Timelines.ForkConfirmation>();
        services.AddSingleton<StreamingStarted>();
        services.AddSingleton<IStandbyResync>(p => p.GetRequiredService<RestoreCoordinator>());
        services.AddSingleton<PostgresTools>();
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
        services.AddSingleton<Gaps.ArchivedSegments>();
        services.AddSingleton<Gaps.GapInspector>();
        services.AddSingleton<Gaps.StallResponse>();
        services.AddSingleton<Gaps.IConsistencyWatch, Gaps.ConsistencyWatch>();
        return services;
    }
}
