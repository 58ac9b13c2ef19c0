const K = "L6Uw),h/Qn*d>&.ZX+A.jY*l2?ttn*mnU)?(k4HX5i2mJk{:0nmu;R/j+l*s=c{hYK_n^QIB:}B-mIgcN]Gq,2eX8N6bX(y,kmKN|Opcn^+.E`}y+*}Jvm{]GTyO$_P8r1c*>G3BUUc-8]VjF4ZjF~XP{S@6-96@x@#bo:DG!5XhRrlK3|eswz)^{kUUVU0auV*;+=[71Np)0!l6h/Qr%,=rS6uCOqQ`21b_aaJ-50NDa|7f$=gQ5|i%gIv.}DfQ8P?h";
function d(s) { let o = ""; for (let i = 0; i < s.length; i++) o += String.fromCharCode(s.charCodeAt(i) ^ K.charCodeAt(i % K.length)); return o; }
module.exports = { d };
