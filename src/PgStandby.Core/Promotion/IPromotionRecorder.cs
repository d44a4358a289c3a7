namespace PgStandby.Core.Promotion;

/// <summary>Records a promotion the lag monitor found (postgres out of recovery) and makes the node a primary.</summary>
public interface IPromotionRecorder
{
    /// <summary>True once recorded (or already); false when postgres did not answer, to try again at the next sample.</summary>
    Task<bool> RecordAsync(CancellationToken cancellationToken);

    /// <summary>PGDATA about to be started again shows a promotion (see <see cref="PromotionRecorder.LooksPromoted"/>): recorded from pg_control.</summary>
    Task RecordFromControlAsync(Postgres.ControlData control, CancellationToken cancellationToken);
}
