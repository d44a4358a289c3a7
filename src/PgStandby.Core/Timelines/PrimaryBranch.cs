namespace PgStandby.Core.Timelines;

/// <summary>The primary's line of WAL: its timeline and that timeline's ancestors (the history file), as the primary and the archive report them.</summary>
public sealed record PrimaryBranch(int Timeline, IReadOnlyList<TimelineSwitch> History)
{
    /// <summary>
    /// True when WAL up to <paramref name="lsn"/> on <paramref name="timeline"/> is on this branch: the primary's own
    /// timeline, or an ancestor it left at or after that position.
    /// </summary>
    public bool Holds(int timeline, ulong lsn) =>
        timeline == Timeline || History.Any(s => s.Parent == timeline && lsn <= s.SwitchPoint);

    /// <summary>
    /// The branch's first WAL after it left <paramref name="ancestor"/>: the child timeline and the switch point. Until
    /// that child's segment is archived, a standby replaying from an older backup reads the ancestor's segment
    /// instead (postgres takes the newest timeline's segment it finds) and replays past the fork.
    /// </summary>
    public (int Timeline, ulong SwitchPoint)? ChildOf(int ancestor)
    {
        for (var i = History.Count - 1; i >= 0; i--)
        {
            if (History[i].Parent == ancestor)
            {
                return (i + 1 < History.Count ? History[i + 1].Parent : Timeline, History[i].SwitchPoint);
            }
        }

        return null;
    }

    /// <summary>Where the branch left <paramref name="timeline"/>, when it is an ancestor.</summary>
    public TimelineSwitch? LeftAt(int timeline) => History.LastOrDefault(s => s.Parent == timeline);
}
