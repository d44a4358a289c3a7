using Microsoft.Extensions.Time.Testing;

namespace PgStandby.Core.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers created (each <c>Task.Delay</c> on it makes one), so a
/// test can wait until a loop is waiting again before it advances the clock: no advance lost, none fires twice.
/// </summary>
internal sealed class CountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _timersCreated;

    public int TimersCreated => Volatile.Read(ref _timersCreated);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timersCreated);
        return timer;
    }
}
