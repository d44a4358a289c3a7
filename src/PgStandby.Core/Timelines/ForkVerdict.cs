namespace PgStandby.Core.Timelines;

/// <summary>Whether the primary's history left the standby's timeline before the standby's position, and why.</summary>
public sealed record ForkVerdict(bool Forked, string Why)
{
    /// <summary>The primary's branch the verdict was judged against, when it was read: a re-sync picks a backup on it.</summary>
    public PrimaryBranch? Branch { get; init; }

    /// <summary>
    /// The standby is on <paramref name="standbyTimeline"/> at <paramref name="standbyPosition"/>; the primary is on
    /// <paramref name="primaryTimeline"/>, whose history is <paramref name="history"/>. Forked when the primary's
    /// history left the standby's timeline before that position, or never went through it: postgres can then
    /// never follow the primary, and only a re-sync helps.
    /// </summary>
    public static ForkVerdict Judge(int standbyTimeline, ulong standbyPosition, int primaryTimeline, IReadOnlyList<TimelineSwitch> history)
    {
        var at = $"timeline {standbyTimeline} at {Lsn.Format(standbyPosition)}";
        if (standbyTimeline == primaryTimeline)
        {
            return new(false, $"the standby is on the primary's timeline ({at})");
        }

        if (history.LastOrDefault(s => s.Parent == standbyTimeline) is not { } left)
        {
            return standbyTimeline > primaryTimeline || history.Count > 0
                ? new(true, $"the primary's timeline {primaryTimeline} does not descend from the standby's ({at})")
                : new(false, $"the primary's timeline {primaryTimeline} has no history to compare with the standby's ({at})");
        }

        return standbyPosition > left.SwitchPoint
            ? new(true, $"the primary's timeline {primaryTimeline} left timeline {standbyTimeline} at {Lsn.Format(left.SwitchPoint)}, before the standby's position {Lsn.Format(standbyPosition)}")
            : new(false, $"the primary's timeline {primaryTimeline} left timeline {standbyTimeline} at {Lsn.Format(left.SwitchPoint)}, at or after the standby's position {Lsn.Format(standbyPosition)}: postgres can follow it");
    }
}
