function Get-SlaWatchSuppliedCredential {
    <#
        .SYNOPSIS
        Builds the scanner's PSCredential without a prompt, from a one-time file (deleted once read) or from
        standard input, both holding SLAWATCH_USERNAME=... and SLAWATCH_PASSWORD=... lines.

        .DESCRIPTION
        A gMSA has no password anyone can type, and a scheduled task has no console: Set-SlaWatchCredential is
        then run as that account by a one-off scheduled task that reads the Cognito login from a file only
        administrators and that account can read. The file is deleted as soon as it has been read, also when the
        rest fails, so the password does not stay on disk. The lines are those of the Linux credentials file
        (ConvertFrom-SlaWatchKeyValue): one format wherever a login is handed over. Standard input ends at the
        end of the stream or an empty line.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCredential])]
    param(
        [string]$FromFile,

        [switch]$FromStdin
    )

    $lines = @()
    $source = 'standard input'
    if ($FromFile) {
        $source = "'$FromFile'"
        try {
            $lines = [System.IO.File]::ReadAllLines($FromFile, [System.Text.Encoding]::UTF8)
        }
        catch {
            $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -Category ReadError -TargetObject $FromFile `
                        -Message "cannot read the one-time credential file ${source}: $($_.Exception.InnerException.Message)"))
        }
        finally {
            Remove-Item -LiteralPath $FromFile -Force -ErrorAction SilentlyContinue
            if (Test-Path -LiteralPath $FromFile) {
                Write-Warning -Message "SlaWatch: could not delete the one-time credential file ${source}: delete it now"
            }
        }
    }
    elseif ($FromStdin) {
        $read = New-Object -TypeName 'System.Collections.Generic.List[string]'
        while ($true) {
            $line = [Console]::In.ReadLine()
            if (($null -eq $line) -or ($line.Trim() -eq '')) { break }
            $read.Add($line)
        }
        $lines = $read.ToArray()
    }
    $values = ConvertFrom-SlaWatchKeyValue -Line $lines
    $lines = $null
    if ((-not $values.SLAWATCH_USERNAME) -or (-not $values.SLAWATCH_PASSWORD)) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -Category InvalidData -TargetObject $FromFile `
                    -Message "no login in ${source}: it needs the lines SLAWATCH_USERNAME=<Cognito user> and SLAWATCH_PASSWORD=<password>"))
    }
    $secure = (New-Object -TypeName System.Net.NetworkCredential -ArgumentList '', $values.SLAWATCH_PASSWORD).SecurePassword
    New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList $values.SLAWATCH_USERNAME, $secure
}
