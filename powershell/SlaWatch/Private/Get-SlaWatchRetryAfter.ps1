function Get-SlaWatchRetryAfter {
    <#
        .SYNOPSIS
        Reads a Retry-After header (delta seconds or HTTP date) from an error response of either edition.

        .DESCRIPTION
        PowerShell 7: HttpResponseMessage.Headers.RetryAfter (Delta or Date). Windows PowerShell 5.1:
        HttpWebResponse.Headers['Retry-After'] (a string). A dictionary of headers is accepted as well.
        Returns seconds to wait (never negative) or $null when there is no usable header.
    #>
    [CmdletBinding()]
    [OutputType([double])]
    param(
        [AllowNull()]
        [object]$Response
    )

    if ($null -eq $Response) { return $null }
    $headersProperty = $Response.PSObject.Properties['Headers']
    if ($null -eq $headersProperty) { return $null }
    $headers = $headersProperty.Value
    if ($null -eq $headers) { return $null }

    $raw = $null
    if (($headers -is [System.Collections.IDictionary]) -or ($headers -is [System.Collections.Specialized.NameValueCollection])) {
        foreach ($key in @($headers.Keys)) {
            if ([string]$key -eq 'Retry-After') { $raw = $headers[$key] }
        }
    }
    elseif ($null -ne $headers.PSObject.Properties['RetryAfter']) {
        $retryAfter = $headers.RetryAfter
        if ($null -eq $retryAfter) { return $null }
        if ($null -ne $retryAfter.Delta) { return [Math]::Max(0.0, $retryAfter.Delta.TotalSeconds) }
        if ($null -ne $retryAfter.Date) { return [Math]::Max(0.0, ($retryAfter.Date.UtcDateTime - [DateTime]::UtcNow).TotalSeconds) }
        return $null
    }
    if ($null -eq $raw) { return $null }
    $text = [string](@($raw)[0])

    $seconds = 0
    if ([int]::TryParse($text.Trim(), [ref]$seconds)) { return [double][Math]::Max(0, $seconds) }
    $date = [DateTimeOffset]::MinValue
    $styles = [System.Globalization.DateTimeStyles]::AssumeUniversal
    if ([DateTimeOffset]::TryParse($text, [System.Globalization.CultureInfo]::InvariantCulture, $styles, [ref]$date)) {
        return [Math]::Max(0.0, ($date.UtcDateTime - [DateTime]::UtcNow).TotalSeconds)
    }
    $null
}
