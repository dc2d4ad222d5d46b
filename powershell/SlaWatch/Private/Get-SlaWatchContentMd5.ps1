function Get-SlaWatchContentMd5 {
    <#
        .SYNOPSIS
        Base64 of the MD5 of the exact bytes sent: the Content-MD5 header S3 Object Lock requires.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [byte[]]$Bytes
    )

    $md5 = [System.Security.Cryptography.MD5]::Create()
    try {
        [Convert]::ToBase64String($md5.ComputeHash($Bytes))
    }
    finally {
        $md5.Dispose()
    }
}
