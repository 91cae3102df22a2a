"""weather-now: current conditions from Open-Meteo (declared host: api.open-meteo.com)."""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

API = "https://api.open-meteo.com/v1/forecast"
TIMEOUT = 10

# WMO weather interpretation codes, as documented by Open-Meteo.
WMO = {
    0: "Clear sky", 1: "Mainly clear", 2: "Partly cloudy", 3: "Overcast",
    45: "Fog", 48: "Depositing rime fog",
    51: "Light drizzle", 53: "Drizzle", 55: "Dense drizzle",
    61: "Light rain", 63: "Rain", 65: "Heavy rain",
    71: "Light snow", 73: "Snow", 75: "Heavy snow", 77: "Snow grains",
    80: "Light showers", 81: "Showers", 82: "Violent showers",
    95: "Thunderstorm", 96: "Thunderstorm with hail", 99: "Thunderstorm with heavy hail",
}


def fetch(lat, lon, imperial):
    params = {
        "latitude": f"{lat:.4f}",
        "longitude": f"{lon:.4f}",
        "current": "temperature_2m,wind_speed_10m,weather_code",
    }
    if imperial:
        params.update(temperature_unit="fahrenheit", wind_speed_unit="mph")
    url = API + "?" + urllib.parse.urlencode(params)
    req = urllib.request.Request(url, headers={"User-Agent": "skilllite-weather-now/1.0"})
    with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
        return json.load(resp)


def summarise(data):
    cur = data["current"]
    units = data.get("current_units", {})
    return {
        "temperature": cur["temperature_2m"],
        "temperature_unit": units.get("temperature_2m", ""),
        "wind_speed": cur["wind_speed_10m"],
        "wind_unit": units.get("wind_speed_10m", ""),
        "condition": WMO.get(cur.get("weather_code"), "Unknown"),
        "observed_at": cur.get("time"),
    }


def main():
    try:
        req = json.load(sys.stdin)
        lat, lon = float(req["latitude"]), float(req["longitude"])
    except (ValueError, KeyError, TypeError):
        return {"error": "latitude and longitude (numbers) are required"}
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return {"error": "latitude/longitude out of range"}
    try:
        data = fetch(lat, lon, req.get("units") == "imperial")
    except urllib.error.HTTPError as e:
        return {"error": f"Open-Meteo answered HTTP {e.code}"}
    except (urllib.error.URLError, TimeoutError) as e:
        return {"error": f"could not reach Open-Meteo: {e}"}
    try:
        return summarise(data)
    except (KeyError, TypeError):
        return {"error": "unexpected answer from Open-Meteo"}


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))
