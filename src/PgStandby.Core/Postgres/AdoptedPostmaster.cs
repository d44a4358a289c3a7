namespace PgStandby.Core.Postgres;

/// <summary>
/// A postgres of this standby that was already running when the worker started (the worker was restarted,
/// postgres was not): it is adopted, supervised by its pid, instead of a second one being started.
/// </summary>
public sealed class AdoptedPostmaster
{
    public int? Pid { get; private set; }

    public void Adopt(int pid) => Pid = pid;

    public void Release() => Pid = null;
}
