using System.Text;

namespace PgStandby.Core.Configuration;

/// <summary>Secrets read from a file named by a variable: the Docker and Kubernetes secrets convention.</summary>
internal sealed partial class EnvironmentValues
{
    // A secret longer than this many bytes cannot be valid; reading stops there (a file may be huge, or /dev/zero).
    private const int MaxSecretFileBytes = (MaxSecretLength * 4) + 2;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The content of the file <paramref name="name"/> names, one final line break removed (editors and
    /// <c>echo</c> add one). Problems name the variable and the path, never the content.
    /// </summary>
    public string SecretFile(string name, string fallback)
    {
        var before = problems.Count;
        var path = AbsolutePath(name, "/");
        if (problems.Count > before)
        {
            return fallback;
        }

        var bytes = ReadBounded(name, path);
        if (bytes is null)
        {
            return fallback;
        }

        var tooLong = $"{name} names {path}, whose content must be at most {MaxSecretLength} characters with no line breaks or control characters but one final line break (value not shown).";
        if (bytes.Length > MaxSecretFileBytes)
        {
            problems.Add(tooLong);
            return fallback;
        }

        string content;
        try
        {
            content = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            problems.Add($"{name} names {path}, whose content is not UTF-8 text (value not shown).");
            return fallback;
        }

        content = WithoutOneFinalLineBreak(content);
        if (content.Length == 0)
        {
            problems.Add($"{name} names {path}, which is empty: write the password in it.");
            return fallback;
        }

        if (!IsValidSecret(content))
        {
            problems.Add(tooLong);
            return fallback;
        }

        return content;
    }

    private static string WithoutOneFinalLineBreak(string content) =>
        content.EndsWith("\r\n", StringComparison.Ordinal) ? content[..^2]
        : content.EndsWith('\n') ? content[..^1]
        : content;

    private byte[]? ReadBounded(string name, string path)
    {
        if (Directory.Exists(path))
        {
            problems.Add($"{name} names {path}, which is a folder: name the file holding the password.");
            return null;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buffer = new byte[MaxSecretFileBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            return buffer[..length];
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            problems.Add($"{name} names {path}, which does not exist.");
        }
        catch (UnauthorizedAccessException)
        {
            problems.Add($"{name} names {path}, which the worker may not read (permission denied).");
        }
        catch (IOException exception)
        {
            problems.Add($"{name} names {path}, which cannot be read ({Shown(exception.Message)}).");
        }

        return null;
    }
}
