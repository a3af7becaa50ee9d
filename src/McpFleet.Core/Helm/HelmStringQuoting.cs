using McpFleet.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace McpFleet.Helm;

/// <summary>
/// Double-quotes every string that some YAML reader would take for another type, by <see cref="YamlScalars"/>'s rule:
/// Helm reads values as YAML 1.1 through go-yaml, where <c>on</c> is a boolean and <c>1e3</c> a float (YamlDotNet's own
/// YAML 1.1 quoting leaves <c>1e3</c> plain, and the chart would then render <c>1000</c>).
/// </summary>
internal sealed class HelmStringQuoting(IEventEmitter next) : ChainedEventEmitter(next)
{
    public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
    {
        if (eventInfo.Style == ScalarStyle.Any && eventInfo.Source.Value is string value && YamlScalars.ReadsAsNonString(value))
        {
            eventInfo.Style = ScalarStyle.DoubleQuoted;
        }

        base.Emit(eventInfo, emitter);
    }
}
