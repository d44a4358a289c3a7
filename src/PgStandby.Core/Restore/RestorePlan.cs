namespace PgStandby.Core.Restore;

/// <summary>What to do with PGDATA and why; <see cref="Fix"/> is the operator's next step when refusing.</summary>
public sealed record RestorePlan(RestoreAction Action, string Reason, string Fix = "")
{
    public bool NeedsRepository => Action is RestoreAction.FullRestore or RestoreAction.DeltaRestore or RestoreAction.VerifyWithRepository;
}
