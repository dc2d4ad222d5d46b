function Invoke-SlaWatchHttp {
    <#
        .SYNOPSIS
        One HTTPS POST attempt; returns the outcome as data instead of throwing, identically on 5.1 and 7.

        .DESCRIPTION
        Invoke-WebRequest throws on non-2xx with different exception types per edition (WebException with an
        HttpWebResponse on 5.1, HttpResponseException with an HttpResponseMessage on 7). Both expose .Response
        with .StatusCode; the response body is in ErrorDetails.Message (on 5.1, when it is not there, it is read
        from the HttpWebResponse's stream); a failure without a response
        (DNS, TLS, refused connection, timeout) is StatusCode 0. The body is sent as bytes, exactly as given.

        Returns StatusCode, Content, RetryAfterSeconds (or $null) and Error (message, no secrets).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Uri,

        [Parameter(Mandatory = $true)]
        [hashtable]$Headers,

        [Parameter(Mandatory = $true)]
        [byte[]]$Body,

        [Parameter(Mandatory = $true)]
        [string]$ContentType,

        [int]$TimeoutSeconds = 30,

        # api.proxy: empty for the system proxy, 'direct', or a proxy URL (see Get-SlaWatchProxyParameter).
        [AllowEmptyString()]
        [string]$Proxy = ''
    )

    $request = @{
        Uri             = $Uri
        Method          = 'Post'
        Headers         = $Headers
        Body            = $Body
        ContentType     = $ContentType
        TimeoutSec      = $TimeoutSeconds
        UseBasicParsing = $true
        ErrorAction     = 'Stop'
    }
    $proxyParameters = Get-SlaWatchProxyParameter -Proxy $Proxy
    foreach ($name in $proxyParameters.Keys) { $request[$name] = $proxyParameters[$name] }
    try {
        $response = Invoke-WebRequest @request
        $content = $response.Content
        if ($content -is [byte[]]) { $content = $script:Utf8NoBom.GetString($content) }
        return [pscustomobject]@{
            StatusCode        = [int]$response.StatusCode
            Content           = [string]$content
            RetryAfterSeconds = $null
            Error             = $null
        }
    }
    catch {
        $exception = $_.Exception
        $response = $null
        if ($null -ne $exception.PSObject.Properties['Response']) { $response = $exception.Response }
        $statusCode = 0
        if (($null -ne $response) -and ($null -ne $response.PSObject.Properties['StatusCode'])) { $statusCode = [int]$response.StatusCode }

        $content = $null
        if (($null -ne $_.ErrorDetails) -and $_.ErrorDetails.Message) { $content = $_.ErrorDetails.Message }
        elseif (($null -ne $response) -and ($null -ne $response.PSObject.Properties['Content']) -and ($response.Content -is [string])) { $content = $response.Content }
        elseif (($null -ne $response) -and ($null -ne $response.PSObject.Methods['GetResponseStream'])) {
            # Windows PowerShell 5.1 does not always copy the error body into ErrorDetails;
            # then it is still unread in the HttpWebResponse.
            try {
                $stream = $response.GetResponseStream()
                $reader = New-Object -TypeName System.IO.StreamReader -ArgumentList $stream, $script:Utf8NoBom
                try { $content = $reader.ReadToEnd() } finally { $reader.Dispose() }
            }
            catch {
                Write-Verbose -Message "the error response body could not be read: $($_.Exception.Message)"
            }
        }

        return [pscustomobject]@{
            StatusCode        = $statusCode
            Content           = $content
            RetryAfterSeconds = Get-SlaWatchRetryAfter -Response $response
            Error             = $exception.Message
        }
    }
}
