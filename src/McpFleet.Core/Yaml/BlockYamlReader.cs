using System.Buffers;
using System.Globalization;
using System.Text;

namespace McpFleet.Yaml;

/// <summary>
/// Reads the block-style subset of YAML that Kubernetes manifests, Helm output and fleet specs are written in, straight
/// from the text: block mappings and sequences, plain and quoted single-line scalars, <c>|</c> block scalars, one-line
/// flow collections of scalars, comments and <c>---</c> documents. It gives up (returns <see langword="null"/>) on
/// anything else, and on anything <see cref="YamlReader"/> would report as a problem, so that YamlDotNet then reads the
/// whole text: trees, positions and problems are the same either way (a test compares the two on every YAML file of
/// the repository).
/// </summary>
/// <remarks>
/// YamlDotNet allocates a token, an event and several buffers per scalar; on a 10 000-object lint bundle that was
/// 35 bytes allocated per byte of input and most of the run. This reader allocates the nodes and their strings, and
/// reuses the strings of repeated keys and short values.
/// </remarks>
internal sealed class BlockYamlReader
{
    // Characters YamlDotNet treats differently from this reader: other line breaks, BOM, controls and surrogates
    // (whose columns YamlDotNet may count differently).
    private static readonly SearchValues<char> s_unsupported = SearchValues.Create(UnsupportedChars());
    private static readonly SearchValues<char> s_plainStart = SearchValues.Create("[]{}#&*!|>'\"%@`,?:-");

    private readonly string _text;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _strings =
        new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private int _lineNo;     // 1-based number of the current line
    private int _lineStart;  // index of the current line's first character
    private int _lineEnd;    // index after its last character (before "\r\n" or "\n")
    private int _nextLine;   // index of the next line's first character; > text length at the end
    private int _indent;     // leading spaces of the current line
    private int _depth;      // block collections open around the current line

    private BlockYamlReader(string text) => _text = text;

    /// <summary>Reads every document of <paramref name="text"/>, or returns <see langword="null"/> when it is outside the subset.</summary>
    /// <param name="text">The YAML text.</param>
    /// <returns>The documents, or <see langword="null"/>.</returns>
    public static List<YDocument>? TryRead(string text)
    {
        if (text.AsSpan().ContainsAny(s_unsupported))
        {
            return null;
        }

        try
        {
            return new BlockYamlReader(text).ReadStream();
        }
        catch (OutsideSubsetException)
        {
            return null;
        }
    }

    private bool AtEnd => _lineStart >= _text.Length && _nextLine > _text.Length;

    private ReadOnlySpan<char> Line => _text.AsSpan(_lineStart, _lineEnd - _lineStart);

    private List<YDocument> ReadStream()
    {
        var documents = new List<YDocument>();
        NextLine();
        SkipBlank();
        while (!AtEnd)
        {
            int line = _lineNo, column = 1;
            YNode root;
            if (IsMarker("---"))
            {
                // Content after the marker on the same line ("--- |", "--- !tag") is left to YamlDotNet.
                if (!IsBlankOrComment(Line[3..]))
                {
                    throw new OutsideSubsetException();
                }

                NextLine();
                SkipBlank();
                root = AtEnd || IsMarker("---") ? EmptyDocument() : ReadBlockNode(-1, _lineStart + _indent);
            }
            else if (IsMarker("...") || Line[_indent] == '%')
            {
                throw new OutsideSubsetException();
            }
            else
            {
                column = _indent + 1;
                root = ReadBlockNode(-1, _lineStart + _indent);
            }

            SkipBlank();
            if (!AtEnd && !IsMarker("---"))
            {
                throw new OutsideSubsetException();
            }

            documents.Add(new YDocument(root, documents.Count + 1, line, column));
        }

        return documents;
    }

    /// <summary>An empty document is a null scalar; YamlDotNet places it after the next <c>---</c> (at the end, somewhere less obvious).</summary>
    private YScalar EmptyDocument() =>
        AtEnd ? throw new OutsideSubsetException() : new YScalar("", plain: true, _lineNo, 4);

    /// <summary>Reads the block node that starts at <paramref name="at"/> on the current line, inside a parent at <paramref name="parentIndent"/>.</summary>
    private YNode ReadBlockNode(int parentIndent, int at)
    {
        var column = at - _lineStart;
        if (IsSequenceEntry(at))
        {
            return ReadSequence(column);
        }

        if (FindMappingColon(at) >= 0)
        {
            return ReadMapping(column);
        }

        // A scalar on a line of its own below "key:" or "-".
        return ReadInlineValue(parentIndent, at);
    }

    private YSeq ReadSequence(int indent)
    {
        EnterCollection();
        var items = new List<YNode>();
        int line = _lineNo, column = indent + 1;
        while (true)
        {
            var dash = _lineStart + indent;
            var at = SkipSpaces(dash + 1);
            if (at >= _lineEnd || _text[at] == '#')
            {
                var omitted = OmittedValue(dash);
                NextLine();
                SkipBlank();
                items.Add(CurrentIndent() > indent ? ReadBlockNode(indent, _lineStart + _indent) : omitted);
            }
            else if (IsSequenceEntry(at))
            {
                throw new OutsideSubsetException(); // "- - a": a compact nested sequence
            }
            else if (FindMappingColon(at) >= 0)
            {
                items.Add(ReadMapping(at - _lineStart));
            }
            else
            {
                items.Add(ReadInlineValue(indent, at));
            }

            SkipBlank();
            var next = CurrentIndent();
            if (next < indent || (next == indent && !IsSequenceEntry(_lineStart + indent)))
            {
                _depth--;
                return new YSeq(items, line, column);
            }

            if (next > indent)
            {
                throw new OutsideSubsetException();
            }
        }
    }

    private YMap ReadMapping(int indent)
    {
        EnterCollection();
        var entries = new List<KeyValuePair<YScalar, YNode>>();
        var keys = default(MappingKeys);
        int line = _lineNo, column = indent + 1;
        var at = _lineStart + indent;
        while (true)
        {
            var colon = FindMappingColon(at);
            if (colon < 0)
            {
                throw new OutsideSubsetException();
            }

            var key = ReadKey(at, colon);
            if (key is { IsPlain: true, Value: "<<" } || keys.IndexOf(entries, key.Value) >= 0)
            {
                throw new OutsideSubsetException(); // merges and duplicate keys: YamlReader's slow path handles and reports them
            }

            var value = SkipSpaces(colon + 1);
            YNode node;
            if (value >= _lineEnd || _text[value] == '#')
            {
                var omitted = OmittedValue(colon);
                NextLine();
                SkipBlank();
                var next = CurrentIndent();
                node = next > indent ? ReadBlockNode(indent, _lineStart + _indent)
                    : next == indent && IsSequenceEntry(_lineStart + indent) ? ReadSequence(indent) // "key:\n- a", as kubectl writes
                    : omitted;
            }
            else
            {
                node = ReadInlineValue(indent, value);
            }

            keys.Add(entries, new(key, node));
            SkipBlank();
            var indentNow = CurrentIndent();
            if (indentNow < indent)
            {
                _depth--;
                return new YMap(entries, line, column);
            }

            if (indentNow > indent || IsSequenceEntry(_lineStart + indent))
            {
                throw new OutsideSubsetException();
            }

            at = _lineStart + indent;
        }
    }

    /// <summary>
    /// Counts one more open block collection. Deep nesting is left to <see cref="YamlReader"/>, which reports it; giving
    /// up two levels early leaves room for a flow collection and its scalars below the deepest block.
    /// </summary>
    private void EnterCollection()
    {
        if (++_depth > YamlReader.MaxDepth - 2)
        {
            throw new OutsideSubsetException();
        }
    }

    /// <summary>An omitted value (<c>key:</c>, <c>-</c>) is a null scalar just after its indicator, as YamlDotNet places it.</summary>
    private YScalar OmittedValue(int indicator) => new("", plain: true, _lineNo, indicator - _lineStart + 2);

    private YScalar ReadKey(int at, int colon)
    {
        int line = _lineNo, column = at - _lineStart + 1;
        var c = _text[at];
        if (c is '"' or '\'')
        {
            var (text, end) = c == '"' ? ReadDoubleQuoted(at) : ReadSingleQuoted(at);
            if (SkipSpaces(end) != colon)
            {
                throw new OutsideSubsetException();
            }

            return new YScalar(text, plain: false, line, column);
        }

        var span = _text.AsSpan(at, colon - at);
        if (s_plainStart.Contains(c) || span.Length == 0 || span[^1] == ' ')
        {
            throw new OutsideSubsetException();
        }

        return new YScalar(Intern(span), plain: true, line, column);
    }

    /// <summary>Reads a scalar or flow collection that starts at <paramref name="at"/>, and moves to the next line.</summary>
    private YNode ReadInlineValue(int ownerIndent, int at)
    {
        int line = _lineNo, column = at - _lineStart + 1;
        YNode node;
        int end;
        switch (_text[at])
        {
            case '|':
                return ReadLiteral(ownerIndent, at);
            case '"':
                (var text, end) = ReadDoubleQuoted(at);
                node = new YScalar(text, plain: false, line, column);
                break;
            case '\'':
                (text, end) = ReadSingleQuoted(at);
                node = new YScalar(text, plain: false, line, column);
                break;
            case '[' or '{':
                (node, end) = ReadFlow(at);
                break;
            default:
                (node, end) = ReadPlain(at, line, column);
                break;
        }

        if (!IsBlankOrComment(_text.AsSpan(end, _lineEnd - end)))
        {
            throw new OutsideSubsetException();
        }

        NextLine();
        SkipBlank();
        if (CurrentIndent() > ownerIndent)
        {
            throw new OutsideSubsetException(); // a multi-line plain scalar, or an error YamlDotNet should report
        }

        return node;
    }

    private (YScalar Node, int End) ReadPlain(int at, int line, int column)
    {
        var c = _text[at];
        if (s_plainStart.Contains(c) && !(c == '-' && at + 1 < _lineEnd && _text[at + 1] != ' '))
        {
            throw new OutsideSubsetException();
        }

        var end = at;
        var last = at;
        while (end < _lineEnd)
        {
            var ch = _text[end];
            if (ch == '#' && _text[end - 1] == ' ')
            {
                break;
            }

            if (ch == ':' && (end + 1 == _lineEnd || _text[end + 1] == ' '))
            {
                throw new OutsideSubsetException(); // "a: b: c" is an error
            }

            if (ch != ' ')
            {
                last = end + 1;
            }

            end++;
        }

        var span = _text.AsSpan(at, last - at);
        return (new YScalar(span.Length <= 40 ? Intern(span) : span.ToString(), plain: true, line, column), last);
    }

    /// <summary>A literal block scalar (<c>|</c>, <c>|-</c>); keep chomping and indentation indicators are left to YamlDotNet.</summary>
    private YScalar ReadLiteral(int ownerIndent, int at)
    {
        int line = _lineNo, column = at - _lineStart + 1;
        var chomp = at + 1 < _lineEnd ? _text[at + 1] : ' ';
        var header = chomp == '-' ? at + 2 : at + 1;
        if (!IsBlankOrComment(_text.AsSpan(header, _lineEnd - header)) || (header < _lineEnd && _text[header] != ' '))
        {
            throw new OutsideSubsetException();
        }

        var content = new StringBuilder();
        var contentIndent = -1;
        var trailingBreaks = 0;
        NextLine();
        while (!AtEnd)
        {
            var lineText = Line;
            var spaces = lineText.Length - lineText.TrimStart(' ').Length;
            if (spaces == lineText.Length)
            {
                if (contentIndent >= 0 ? spaces > contentIndent : spaces > 0)
                {
                    throw new OutsideSubsetException(); // spaces beyond the indentation are content; YAML's rules there are subtle
                }

                trailingBreaks++;
                NextLine();
                continue;
            }

            if (contentIndent < 0)
            {
                if (spaces <= ownerIndent)
                {
                    break;
                }

                contentIndent = spaces;
            }

            if (spaces < contentIndent)
            {
                break;
            }

            if (content.Length > 0 || trailingBreaks > 0)
            {
                content.Append('\n', content.Length > 0 ? trailingBreaks + 1 : trailingBreaks);
            }

            trailingBreaks = 0;
            content.Append(lineText[contentIndent..]);
            NextLine();
        }

        if (contentIndent < 0 || (AtEnd && trailingBreaks == 0 && !_text.EndsWith('\n')))
        {
            throw new OutsideSubsetException(); // an empty block scalar, or one that ends the file without a line break
        }

        // The line break after the last content line and the empty lines after it, by chomping.
        var value = chomp == '-' ? content.ToString() : content.Append('\n').ToString();
        SkipBlank();
        if (CurrentIndent() > ownerIndent)
        {
            throw new OutsideSubsetException();
        }

        return new YScalar(value, plain: false, line, column);
    }

    private (string Text, int End) ReadSingleQuoted(int at)
    {
        var builder = (StringBuilder?)null;
        var start = at + 1;
        for (var i = start; i < _lineEnd; i++)
        {
            if (_text[i] != '\'')
            {
                continue;
            }

            if (i + 1 < _lineEnd && _text[i + 1] == '\'')
            {
                builder ??= new StringBuilder();
                builder.Append(_text, start, i + 1 - start);
                start = i + 2;
                i++;
                continue;
            }

            var text = builder is null ? _text[start..i] : builder.Append(_text, start, i - start).ToString();
            return (text, i + 1);
        }

        throw new OutsideSubsetException(); // a quoted scalar over several lines
    }

    private (string Text, int End) ReadDoubleQuoted(int at)
    {
        var builder = (StringBuilder?)null;
        var start = at + 1;
        for (var i = start; i < _lineEnd; i++)
        {
            var c = _text[i];
            if (c == '"')
            {
                var text = builder is null ? _text[start..i] : builder.Append(_text, start, i - start).ToString();
                return (text, i + 1);
            }

            if (c != '\\')
            {
                continue;
            }

            builder ??= new StringBuilder();
            builder.Append(_text, start, i - start);
            if (i + 1 >= _lineEnd)
            {
                throw new OutsideSubsetException(); // an escaped line break
            }

            var e = _text[++i];
            switch (e)
            {
                case '"' or '\\' or '/':
                    builder.Append(e);
                    break;
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case '0': builder.Append('\0'); break;
                case 'u' when i + 4 < _lineEnd && ushort.TryParse(_text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                    && !char.IsSurrogate((char)code):
                    builder.Append((char)code);
                    i += 4;
                    break;
                default:
                    throw new OutsideSubsetException();
            }

            start = i + 1;
        }

        throw new OutsideSubsetException();
    }

    /// <summary>A one-line flow sequence or mapping of scalars: <c>[a, "b"]</c>, <c>{min: 1, max: 2}</c>, <c>[]</c>, <c>{}</c>.</summary>
    private (YNode Node, int End) ReadFlow(int at)
    {
        int line = _lineNo, column = at - _lineStart + 1;
        var isMap = _text[at] == '{';
        var close = isMap ? '}' : ']';
        var items = new List<YNode>();
        var entries = new List<KeyValuePair<YScalar, YNode>>();
        var keys = default(MappingKeys);
        var i = SkipSpaces(at + 1);
        if (i < _lineEnd && _text[i] == close)
        {
            return (isMap ? new YMap(entries, line, column) : new YSeq(items, line, column), i + 1);
        }

        while (true)
        {
            var first = ReadFlowScalar(ref i, isMap ? ':' : '\0');
            if (isMap)
            {
                if (i >= _lineEnd || _text[i] != ':' || i + 1 >= _lineEnd || _text[i + 1] != ' ')
                {
                    throw new OutsideSubsetException();
                }

                i = SkipSpaces(i + 1);
                var value = ReadFlowScalar(ref i, '\0');
                if (keys.IndexOf(entries, first.Value) >= 0 || first is { IsPlain: true, Value: "<<" })
                {
                    throw new OutsideSubsetException();
                }

                keys.Add(entries, new(first, value));
            }
            else
            {
                items.Add(first);
            }

            if (i < _lineEnd && _text[i] == ',')
            {
                i = SkipSpaces(i + 1);
                if (i < _lineEnd && _text[i] == close)
                {
                    throw new OutsideSubsetException(); // a trailing comma
                }

                continue;
            }

            if (i < _lineEnd && _text[i] == close)
            {
                return (isMap ? new YMap(entries, line, column) : new YSeq(items, line, column), i + 1);
            }

            throw new OutsideSubsetException();
        }
    }

    /// <summary>Reads a quoted or plain scalar inside a flow collection; leaves <paramref name="i"/> after it and its spaces.</summary>
    private YScalar ReadFlowScalar(ref int i, char stopAt)
    {
        if (i >= _lineEnd)
        {
            throw new OutsideSubsetException();
        }

        int line = _lineNo, column = i - _lineStart + 1;
        var c = _text[i];
        YScalar scalar;
        if (c is '"' or '\'')
        {
            var (text, end) = c == '"' ? ReadDoubleQuoted(i) : ReadSingleQuoted(i);
            scalar = new YScalar(text, plain: false, line, column);
            i = SkipSpaces(end);
            return scalar;
        }

        if (s_plainStart.Contains(c))
        {
            throw new OutsideSubsetException();
        }

        var start = i;
        var last = i;
        while (i < _lineEnd)
        {
            c = _text[i];
            if (c is ',' or ']' or '}' || c == stopAt)
            {
                break;
            }

            if (c is ':' or '#' or '[' or '{' or '"' or '\'')
            {
                throw new OutsideSubsetException();
            }

            if (c != ' ')
            {
                last = i + 1;
            }

            i++;
        }

        return new YScalar(Intern(_text.AsSpan(start, last - start)), plain: true, line, column);
    }

    /// <summary>The index of the ':' that makes the text at <paramref name="at"/> a mapping entry, or -1.</summary>
    private int FindMappingColon(int at)
    {
        var c = _text[at];
        if (c is '"' or '\'')
        {
            var end = c == '"' ? QuoteEnd(at, '"') : QuoteEnd(at, '\'');
            if (end < 0)
            {
                return -1;
            }

            var colon = SkipSpaces(end);
            return colon < _lineEnd && _text[colon] == ':' && (colon + 1 == _lineEnd || _text[colon + 1] == ' ') ? colon : -1;
        }

        if (c is '[' or '{')
        {
            return -1;
        }

        for (var i = at; i < _lineEnd; i++)
        {
            c = _text[i];
            if (c == '#' && i > at && _text[i - 1] == ' ')
            {
                return -1;
            }

            if (c == ':' && (i + 1 == _lineEnd || _text[i + 1] == ' '))
            {
                return i;
            }
        }

        return -1;
    }

    private int QuoteEnd(int at, char quote)
    {
        for (var i = at + 1; i < _lineEnd; i++)
        {
            if (_text[i] == '\\' && quote == '"')
            {
                i++;
            }
            else if (_text[i] == quote)
            {
                if (quote == '\'' && i + 1 < _lineEnd && _text[i + 1] == '\'')
                {
                    i++;
                    continue;
                }

                return i + 1;
            }
        }

        return -1;
    }

    private bool IsSequenceEntry(int at) => at < _lineEnd && _text[at] == '-' && (at + 1 == _lineEnd || _text[at + 1] == ' ');

    /// <summary>The indentation of the current line; -1 at the end or on a document marker, which close every block.</summary>
    private int CurrentIndent() => AtEnd || IsMarker("---") || IsMarker("...") ? -1 : _indent;

    private bool IsMarker(string marker) =>
        _indent == 0 && Line.StartsWith(marker, StringComparison.Ordinal) && (Line.Length == 3 || Line[3] == ' ');

    private int SkipSpaces(int i)
    {
        while (i < _lineEnd && _text[i] == ' ')
        {
            i++;
        }

        return i;
    }

    /// <summary>Whether the rest of a line is empty or a comment (which YAML only starts after a space).</summary>
    private static bool IsBlankOrComment(ReadOnlySpan<char> rest)
    {
        var trimmed = rest.TrimStart(' ');
        return trimmed.IsEmpty || (trimmed[0] == '#' && trimmed.Length < rest.Length);
    }

    /// <summary>Moves past empty and comment-only lines.</summary>
    private void SkipBlank()
    {
        while (!AtEnd)
        {
            var rest = Line[_indent..];
            if (!rest.IsEmpty && rest[0] != '#')
            {
                return;
            }

            NextLine();
        }
    }

    private void NextLine()
    {
        _lineStart = _nextLine;
        if (_lineStart >= _text.Length)
        {
            _lineStart = _lineEnd = _text.Length;
            _nextLine = _text.Length + 1;
            _indent = 0;
            _lineNo++;
            return;
        }

        var newline = _text.IndexOf('\n', _lineStart);
        _nextLine = newline < 0 ? _text.Length : newline + 1;
        _lineEnd = newline < 0 ? _text.Length : newline;
        if (_lineEnd > _lineStart && _text[_lineEnd - 1] == '\r')
        {
            _lineEnd--;
        }

        if (_text.AsSpan(_lineStart, _lineEnd - _lineStart).Contains('\r'))
        {
            throw new OutsideSubsetException(); // a lone carriage return is a line break to YAML
        }

        _lineNo++;
        var line = Line;
        _indent = line.Length - line.TrimStart(' ').Length;
    }

    private string Intern(ReadOnlySpan<char> span)
    {
        if (!_strings.TryGetValue(span, out var value))
        {
            value = span.ToString();
            _strings[value] = value;
        }

        return value;
    }

    private static string UnsupportedChars()
    {
        var chars = new StringBuilder();
        for (var c = '\0'; c < ' '; c++)
        {
            if (c is not ('\t' or '\n' or '\r'))
            {
                chars.Append(c);
            }
        }

        for (var c = '\u007f'; c <= '\u009f'; c++)
        {
            chars.Append(c);
        }

        for (var c = '\ud800'; c <= '\udfff'; c++)
        {
            chars.Append(c);
        }

        // Tabs too: YAML allows them in some places and not in others (indentation), and manifests rarely have any.
        return chars.Append('\u2028').Append('\u2029').Append('\ufeff').Append('\t').ToString();
    }

    private sealed class OutsideSubsetException : Exception;
}
