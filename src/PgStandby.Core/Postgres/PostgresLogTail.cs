namespace PgStandby.Core.Postgres;

/// <summary>The last lines postgres printed, for the message of a postgres that keeps failing to start.</summary>
public sealed class PostgresLogTail(int capacity = 10)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    /// <summary>A new run of postgres: an earlier run's lines (a "No space left on device" long solved) say nothing of this one.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _lines.Clear();
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return string.Join(" | ", _lines);
        }
    }
}
