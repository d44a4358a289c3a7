using Microsoft.Extensions.Time.Testing;

namespace PgStandby.Core.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers created (each <c>Task.Delay</c> on it makes one), so a
/// test can wait until a loop is waiting again before it advances the clock: no advance lost, none fires twice.
/// Each timer's due time is kept too: what a loop waits for once it is parked says when it will act next.
/// </summary>
internal sealed class CountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly List<TimeSpan> _dueTimes = [];

    public int TimersCreated
    {
        get
        {
            lock (_dueTimes)
            {
                return _dueTimes.Count;
            }
        }
    }

    /// <summary>The due time of each timer created, in order.</summary>
    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (_dueTimes)
            {
                return [.. _dueTimes];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_dueTimes)
        {
            _dueTimes.Add(dueTime);
        }

        return timer;
    }
}
