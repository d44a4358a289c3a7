namespace PgStandby.Core.Pipeline;

/// <summary>The stages, in the order they run; each starts only when the one before it has succeeded.</summary>
public enum PipelineStage
{
    KeyProvisioner,
    ConfigRenderer,
    RestoreService,
    PostgresProcessService,
    ReplicationLagMonitor,
}
