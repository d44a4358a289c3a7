namespace PgStandby.Core.Concurrency;

/// <summary>
/// A value set once and awaited until reset: the first <see cref="Set"/> wins until <see cref="Reset"/>.
/// Waiters continue on the thread pool, never on the setter's thread.
/// </summary>
public sealed class Latch<T>
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<T> _source = New();

    public void Set(T value)
    {
        lock (_gate)
        {
            _source.TrySetResult(value);
        }
    }

    /// <summary>Completes with the value at the next <see cref="Set"/>, or at once when one came since the last <see cref="Reset"/>.</summary>
    public Task<T> Task
    {
        get
        {
            lock (_gate)
            {
                return _source.Task;
            }
        }
    }

    /// <summary>Forgets a value once it has been acted on; does nothing while none is set.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            if (_source.Task.IsCompleted)
            {
                _source = New();
            }
        }
    }

    private static TaskCompletionSource<T> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
