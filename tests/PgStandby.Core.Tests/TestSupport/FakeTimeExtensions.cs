using Microsoft.Extensions.Time.Testing;

namespace PgStandby.Core.Tests.TestSupport;

internal static class FakeTimeExtensions
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Advances fake time by <paramref name="step"/> until <paramref name="task"/> completes. Continuations
    /// may run on other threads, so each step waits briefly (real time) for the task before the next one.
    /// </summary>
    public static async Task<T> AdvanceUntilCompletedAsync<T>(this FakeTimeProvider time, Task<T> task, TimeSpan step)
    {
        await AdvanceUntilCompletedAsync(time, (Task)task, step);
        return await task;
    }

    public static async Task AdvanceUntilCompletedAsync(this FakeTimeProvider time, Task task, TimeSpan step)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!task.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the task did not complete within {Timeout.TotalSeconds} s of real time");
            }

            time.Advance(step);
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }
    }

    /// <summary>Advances fake time by <paramref name="step"/> until <paramref name="condition"/> holds.</summary>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider time, Func<bool> condition, TimeSpan step)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the condition did not hold within {Timeout.TotalSeconds} s of real time");
            }

            time.Advance(step);
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Polls (real time) until <paramref name="condition"/> holds, for work that finishes on another thread.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the condition did not hold within {Timeout.TotalSeconds} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }
}
