using System.Buffers;
using System.Text;
using CliWrap;

namespace PgStandby.Core.Processes;

/// <summary>
/// Hands a child's output to a callback line by line, breaking on line feeds only. CliWrap's delegate target
/// (like <see cref="TextReader.ReadLineAsync()"/>) also breaks on a bare carriage return, which postgres writes
/// as it is: a client's user name holding "\r" and a forged log prefix would pass for a line of its own. postgres
/// indents what follows a line feed inside a message with a tab, so every line that starts with a prefix is
/// postgres's own. A line longer than <see cref="MaxLineBytes"/> is cut there and the rest of it, up to its line
/// feed, dropped: the rest never becomes a line of its own either.
/// </summary>
public static class LineFeedPipeTarget
{
    public const int MaxLineBytes = 64 * 1024;

    public static PipeTarget Create(Action<string> onLine) =>
        PipeTarget.Create((stream, cancellationToken) => ReadLinesAsync(stream, onLine, cancellationToken));

    public static async Task ReadLinesAsync(Stream stream, Action<string> onLine, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var line = new MemoryStream();
        var dropping = false; // the line was cut: what is left of it, up to its line feed, is not a line
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var chunk = buffer.AsSpan(0, read);
                int feed;
                while ((feed = chunk.IndexOf((byte)'\n')) >= 0)
                {
                    if (!dropping)
                    {
                        Append(line, chunk[..feed]);
                        Emit(line, onLine);
                    }

                    dropping = false;
                    chunk = chunk[(feed + 1)..];
                }

                if (dropping)
                {
                    continue;
                }

                Append(line, chunk);
                if (line.Length == MaxLineBytes)
                {
                    Emit(line, onLine);
                    dropping = true;
                }
            }

            if (!dropping && line.Length > 0)
            {
                Emit(line, onLine);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Append(MemoryStream line, ReadOnlySpan<byte> bytes) =>
        line.Write(bytes[..Math.Min(bytes.Length, MaxLineBytes - (int)line.Length)]);

    private static void Emit(MemoryStream line, Action<string> onLine)
    {
        onLine(Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length));
        line.SetLength(0);
    }
}
